from flask import Blueprint

bp = Blueprint("organiser", __name__)
