from flask import Blueprint

bp = Blueprint("nearme", __name__)
