"""The volunteer's home (/me), and joining or leaving a team from it."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.access import is_user
from ..db import get_session, write_transaction
from ..errors import Forbidden
from ..extensions import login_manager
from ..clock import campaign_today
from ..models import utcnow
from ..recognition.queries import for_volunteer
from . import operations as ops
from .blueprint import bp
from .queries_home import volunteer_home
from .views import KIND_LABELS


def _account_holder() -> int | None:
    """The signed-in user's id; None (and the caller answers with a sign-in) when anonymous."""
    if not current_user.is_authenticated:
        return None
    if not is_user(current_user):
        raise Forbidden("This page is for volunteers with an account. Ask your organiser for an invite, "
                        "or sign up on the get-involved page.")
    return current_user.id


@bp.get("/me")
def home():
    user_id = _account_holder()
    if user_id is None:
        return login_manager.unauthorized()
    now = utcnow()
    data = volunteer_home(get_session(), user_id=user_id, now=now)
    return render_template("volunteers/home.html", home=data, kinds=KIND_LABELS,
                           is_caller=current_user.has_role("caller"),
                           recognition=for_volunteer(get_session(), user_id=user_id, today=campaign_today(now)))


@bp.post("/me/teams/<int:team_id>/join")
def join_team(team_id: int):
    user_id = _account_holder()
    if user_id is None:
        return login_manager.unauthorized()
    team = write_transaction(get_session(), lambda s: ops.join_team(s, user_id=user_id, team_id=team_id))
    flash(f"You are in {team.name}.", "success")
    return redirect(url_for("volunteers.home"))


@bp.post("/me/teams/<int:team_id>/leave")
def leave_team(team_id: int):
    user_id = _account_holder()
    if user_id is None:
        return login_manager.unauthorized()
    team = write_transaction(get_session(), lambda s: ops.leave_team(s, user_id=user_id, team_id=team_id))
    flash(f"You have left {team.name}.", "success")
    return redirect(url_for("volunteers.home"))
