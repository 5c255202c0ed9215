"""The front door: send each person to the page their role starts from."""
from flask import Blueprint, redirect, url_for
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.has_role("organiser"):
        return redirect(url_for("organiser.index"))
    if current_user.has_role("canvasser", "pin"):
        return redirect(url_for("canvass.my_lists"))
    if current_user.has_role("caller"):
        return redirect(url_for("phonebank.index"))
    return redirect(url_for("auth.account"))
