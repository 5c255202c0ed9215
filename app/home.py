"""The front door: send each person to the page their role starts from."""
from flask import Blueprint, current_app, redirect, send_from_directory, url_for
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.has_role("organiser"):
        return redirect(url_for("organiser.index"))
    if current_user.has_role("committee"):
        return redirect(url_for("pollingday.rooms"))
    if current_user.has_role("canvasser", "knocker", "pin"):
        return redirect(url_for("canvass.my_lists"))
    if current_user.has_role("teller"):
        return redirect(url_for("pollingday.choose_station"))
    if current_user.has_role("driver"):
        return redirect(url_for("pollingday.lifts"))
    if current_user.has_role("caller"):
        return redirect(url_for("phonebank.index"))
    if current_user.has_role("volunteer"):
        return redirect(url_for("volunteers.home"))
    return redirect(url_for("auth.account"))


@bp.get("/favicon.ico")
def favicon():
    """For pages that name no icon (the folium maps): browsers ask here, and a 404 on every map
    view is noise in the logs and a wasted request on a phone."""
    return send_from_directory(current_app.static_folder, "favicon.svg", mimetype="image/svg+xml", max_age=86400)
