"""The maps blueprint, alone: its views (views.py) import it, and the package registers them."""
from flask import Blueprint

bp = Blueprint("maps", __name__)
