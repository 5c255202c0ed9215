"""The api blueprint, alone: its views (views.py) import it, and the package registers them."""
from flask import Blueprint

bp = Blueprint("api", __name__)
