"""The organiser's blueprint, alone: each area of the organiser's work is a views module that
imports it, and the package registers them all."""
from flask import Blueprint

bp = Blueprint("organiser", __name__)
