"""The organiser's home: a card for each area of the work (a team lead sees the cards of the
pages they may use)."""
from flask import render_template
from flask_login import current_user

from ..auth.decorators import lead_or_organiser_required
from .blueprint import bp


@bp.get("/")
@lead_or_organiser_required
def index():
    return render_template("organiser/index.html", organiser=current_user.has_role("organiser"))
