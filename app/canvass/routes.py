from flask import Blueprint

bp = Blueprint("canvass", __name__)
