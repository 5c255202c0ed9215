"""Team pages: organisers create and run teams; a team's leads see its page (areas, members)."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from ..auth.access import can_lead_team
from ..auth.decorators import lead_or_organiser_required, roles_required
from ..clock import campaign_today
from ..db import get_session, write_transaction
from ..errors import Forbidden, LegworkError
from ..recognition.queries import team_totals
from . import operations as ops
from . import queries
from .blueprint import bp
from .forms import AreasForm, ButtonForm, DeleteForm, LeadForm, MemberForm, TeamForm


def _form_errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs) or "Check the form and try again."


def _write(team_id: int | None, form, work, done: str):
    """Run a team change: on bad input or a refusal, say why on the page it came from."""
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
    else:
        try:
            result = write_transaction(get_session(), work)
        except LegworkError as err:
            flash(err.message, "error")
        else:
            flash(done.format(result=result), "success")
            if team_id is None and result is not None and hasattr(result, "id"):
                team_id = result.id
    return redirect(url_for("teams.show", team_id=team_id) if team_id else url_for("teams.index"))


@bp.get("")
@lead_or_organiser_required
def index():
    session = get_session()
    return render_template("teams/index.html", teams=queries.teams_for(session, principal=current_user),
                           form=TeamForm(formdata=None))


@bp.post("")
@roles_required("organiser")
def create():
    form, actor = TeamForm(), current_user
    return _write(None, form, lambda s: ops.create_team(s, name=form.name.data, description=form.description.data,
                                                       actor=actor), "Team {result.name} created.")


@bp.get("/<int:team_id>")
@lead_or_organiser_required
def show(team_id: int):
    session = get_session()
    page = queries.team_page(session, team_id=team_id)
    if not can_lead_team(session, principal=current_user, team_id=team_id):
        raise Forbidden("You can see only the teams you lead.")
    organiser = current_user.has_role("organiser")
    areas = AreasForm(formdata=None, areas=[key for key, _ in page.areas])
    areas.areas.choices = queries.area_options(session)
    return render_template("teams/show.html", page=page, organiser=organiser, areas_form=areas,
                           team_form=TeamForm(formdata=None, obj=page.team), member_form=MemberForm(formdata=None),
                           lead_form=LeadForm(formdata=None), button=ButtonForm(formdata=None),
                           delete_form=DeleteForm(formdata=None),
                           totals=team_totals(session, team_id=team_id, today=campaign_today()))


@bp.post("/<int:team_id>/edit")
@roles_required("organiser")
def update(team_id: int):
    form, actor = TeamForm(), current_user
    return _write(team_id, form, lambda s: ops.update_team(s, team_id=team_id, name=form.name.data,
                                                          description=form.description.data, actor=actor),
                  "Saved {result.name}.")


@bp.post("/<int:team_id>/delete")
@roles_required("organiser")
def delete(team_id: int):
    form, actor = DeleteForm(), current_user
    if not form.validate_on_submit():
        flash(_form_errors(form), "error")
        return redirect(url_for("teams.show", team_id=team_id))
    try:
        name = write_transaction(get_session(), lambda s: ops.delete_team(s, team_id=team_id, actor=actor))
    except LegworkError as err:
        flash(err.message, "error")
        return redirect(url_for("teams.show", team_id=team_id))
    flash(f"Team {name} deleted.", "success")
    return redirect(url_for("teams.index"))


@bp.post("/<int:team_id>/areas")
@roles_required("organiser")
def set_areas(team_id: int):
    form, actor = AreasForm(), current_user
    form.areas.choices = queries.area_options(get_session())  # a forged area fails here, and in parse_area_keys
    return _write(team_id, form, lambda s: ops.set_areas(s, team_id=team_id, keys=form.areas.data or [], actor=actor),
                  "Areas saved.")


@bp.post("/<int:team_id>/members")
@roles_required("organiser")
def add_member(team_id: int):
    form, actor = MemberForm(), current_user
    return _write(team_id, form, lambda s: ops.add_member(s, team_id=team_id, email=form.email.data,
                                                         lead=form.lead.data, actor=actor), "Member added.")


@bp.post("/<int:team_id>/members/<int:user_id>/remove")
@roles_required("organiser")
def remove_member(team_id: int, user_id: int):
    actor = current_user
    return _write(team_id, ButtonForm(), lambda s: ops.remove_member(s, team_id=team_id, user_id=user_id, actor=actor),
                  "Member removed.")


@bp.post("/<int:team_id>/members/<int:user_id>/lead")
@roles_required("organiser")
def set_lead(team_id: int, user_id: int):
    form, actor = LeadForm(), current_user
    return _write(team_id, form, lambda s: ops.set_lead(s, team_id=team_id, user_id=user_id, lead=form.lead.data,
                                                       actor=actor),
                  "Saved: they lead the team now." if form.lead.data else "Saved: they no longer lead the team.")
