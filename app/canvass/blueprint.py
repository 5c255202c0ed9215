"""The canvass blueprint, alone: its views (views.py) import it, and the package registers them."""
from flask import Blueprint

bp = Blueprint("canvass", __name__)
