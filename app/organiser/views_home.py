"""The organiser's home: a card for each area of the work."""
from flask import render_template

from ..auth.decorators import roles_required
from .blueprint import bp


@bp.get("/")
@roles_required("organiser")
def index():
    return render_template("organiser/index.html")
