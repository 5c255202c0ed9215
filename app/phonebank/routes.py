from flask import Blueprint

bp = Blueprint("phonebank", __name__)
