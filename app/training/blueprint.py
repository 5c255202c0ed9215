"""The training blueprint, alone (the package's views import it)."""
from flask import Blueprint

bp = Blueprint("training", __name__)
