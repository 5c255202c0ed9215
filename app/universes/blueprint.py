from flask import Blueprint

bp = Blueprint("universes", __name__)
