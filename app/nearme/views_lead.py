"""The team lead's self-serve page: the team's rules, and who is out on a self-serve list now."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.access import can_lead_team
from ..auth.decorators import lead_or_organiser_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Forbidden, LegworkError
from ..teams.operations import get_team
from ..teams.queries import team_page
from ..universes.queries import choices as universe_choices
from .blueprint import bp
from .forms import RulesForm
from .queries import out_now
from .rules import rules_for


def _team(session, team_id: int):
    team = get_team(session, team_id=team_id)
    if not can_lead_team(session, principal=current_user, team_id=team_id):
        raise Forbidden("You can run self-serve canvassing only for the teams you lead.")
    return team


def _form(session, team_id: int, rules, *, formdata=None) -> RulesForm:
    initial = {} if formdata is not None else dict(
        enabled=rules.enabled, areas=rules.areas.split(), universe=str(rules.universe_id or ""),
        return_minutes=rules.return_minutes)
    form = RulesForm(**({"formdata": None} if formdata is None else {}), **initial)
    form.areas.choices = team_page(session, team_id=team_id).areas
    form.universe.choices = universe_choices(session)
    return form


@bp.get("/teams/<int:team_id>")
@lead_or_organiser_required
def team(team_id: int):
    session = get_session()
    found = _team(session, team_id)
    config = settings().selfserve
    rules = rules_for(session, team_id=team_id, default_return=config.return_minutes)
    return render_template("nearme/team.html", team=found, form=_form(session, team_id, rules), rules=rules,
                           out=out_now(session, team_ids=[team_id]), config=config)


@bp.post("/teams/<int:team_id>")
@lead_or_organiser_required
def save_team(team_id: int):
    from .rules import save_rules

    session = get_session()
    _team(session, team_id)
    config = settings().selfserve
    rules = rules_for(session, team_id=team_id, default_return=config.return_minutes)
    form = _form(session, team_id, rules, formdata=True)
    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs) or "Check the form and try again.", "error")
        return redirect(url_for("nearme.team", team_id=team_id)), 422
    universe = int(form.universe.data) if (form.universe.data or "").isdigit() else None
    actor = current_user.id
    try:
        write_transaction(session, lambda s: save_rules(
            s, team_id=team_id, enabled=form.enabled.data, areas=form.areas.data or [], universe_id=universe,
            return_minutes=form.return_minutes.data, actor_id=actor, default_return=config.return_minutes))
    except LegworkError as err:
        flash(err.message, "error")
        return redirect(url_for("nearme.team", team_id=team_id)), err.status
    flash("Self-serve settings saved.", "success")
    return redirect(url_for("nearme.team", team_id=team_id))
