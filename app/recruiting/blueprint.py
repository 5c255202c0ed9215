from flask import Blueprint

bp = Blueprint("recruiting", __name__)
