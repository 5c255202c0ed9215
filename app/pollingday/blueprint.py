from flask import Blueprint

bp = Blueprint("pollingday", __name__)
