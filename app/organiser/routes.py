"""The organiser's blueprint. Each area of the organiser's work is its own views module,
registered here by import, so features stay in small files."""
from flask import Blueprint, render_template

from ..auth.decorators import roles_required

bp = Blueprint("organiser", __name__)


@bp.get("/")
@roles_required("organiser")
def index():
    return render_template("organiser/index.html")


from . import views_audit, views_dashboard, views_imports, views_ledger, views_lists, views_volunteers  # noqa: E402,F401
