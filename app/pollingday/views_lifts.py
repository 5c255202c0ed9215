"""Lifts to the polls: drivers take the next lift and see its voter (only theirs); committee
rooms and organisers see the whole queue and request lifts."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlmodel import select

from ..auth.access import holds_lift, may_drive, may_run_polling_day
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Forbidden, ValidationError
from ..models import CommitteeRoom
from . import lifts as ops
from .blueprint import bp
from .forms import ButtonForm, LiftForm


def _require(allowed: bool) -> None:
    if not allowed:
        raise Forbidden("Lifts are for drivers and committee rooms.")


def _button_post() -> None:
    if not ButtonForm().validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")


def _lift_form(session, formdata=None) -> LiftForm:
    form = LiftForm(formdata=formdata) if formdata is not None else LiftForm()
    rooms = session.execute(select(CommitteeRoom.id, CommitteeRoom.name).order_by(CommitteeRoom.name)).all()
    form.committee_room_id.choices = [("", "—")] + [(str(i), n) for i, n in rooms]
    return form


def _wanted_at(form: LiftForm) -> datetime | None:
    """A time typed on the campaign's clock, today there, as UTC (None: as soon as possible)."""
    if form.wanted_at.data is None:
        return None
    zone = ZoneInfo(settings().timezone)
    today = datetime.now(zone).date()
    return datetime.combine(today, form.wanted_at.data, tzinfo=zone).astimezone(timezone.utc)


def _page(form: LiftForm | None = None, status: int = 200):
    session = get_session()
    runs = may_run_polling_day(current_user)
    _require(runs or may_drive(current_user))
    mine = ops.held_lift(session, driver_id=current_user.id) if may_drive(current_user) else None
    return render_template(
        "pollingday/lifts.html", runs=runs, drives=may_drive(current_user),
        mine=mine if holds_lift(current_user, mine) else None, waiting=ops.waiting_count(session),
        queue=ops.queue(session) if runs else [], form=form or (_lift_form(session) if runs else None),
        button=ButtonForm()), status


@bp.get("/lifts")
@login_required
def lifts():
    return _page()


@bp.post("/lifts/new")
@login_required
def request_lift():
    _require(may_run_polling_day(current_user))
    session = get_session()
    form = _lift_form(session, formdata=None)
    if not form.validate_on_submit():
        return _page(form, 422)
    room = int(form.committee_room_id.data) if form.committee_room_id.data else None
    try:
        lift = write_transaction(session, lambda s: ops.request_lift(
            s, name=form.name.data, address=form.address.data, phone=form.phone.data or "",
            access_needs=form.access_needs.data or "", wanted_at=_wanted_at(form), committee_room_id=room,
            created_by_id=current_user.id))
    except ValidationError as err:
        form.form_errors.append(err.message)
        return _page(form, 422)
    flash(f"Lift requested for {lift.name}: drivers can take it now.")
    return redirect(url_for("pollingday.lifts"))


@bp.post("/lifts/next")
@login_required
def claim_lift():
    _require(may_drive(current_user))
    _button_post()
    lift = write_transaction(get_session(), lambda s: ops.claim_lift(s, driver_id=current_user.id))
    flash("Your lift is below." if lift else "Nobody is waiting for a lift just now.")
    return redirect(url_for("pollingday.lifts"))


def _driver_step(lift_id: int, work, message: str):
    _require(may_drive(current_user))
    _button_post()
    write_transaction(get_session(), lambda s: work(s, lift_id=lift_id, driver_id=current_user.id))
    flash(message)
    return redirect(url_for("pollingday.lifts"))


@bp.post("/lifts/<int:lift_id>/release")
@login_required
def release_lift(lift_id: int):
    return _driver_step(lift_id, ops.release_lift, "Lift handed back to the queue.")


@bp.post("/lifts/<int:lift_id>/done")
@login_required
def finish_lift(lift_id: int):
    return _driver_step(lift_id, ops.finish_lift, "Lift done: thank you.")


@bp.post("/lifts/<int:lift_id>/cancel")
@login_required
def cancel_lift(lift_id: int):
    _require(may_run_polling_day(current_user))
    _button_post()
    write_transaction(get_session(), lambda s: ops.cancel_lift(s, lift_id=lift_id, actor_user_id=current_user.id))
    flash("Lift cancelled.")
    return redirect(url_for("pollingday.lifts"))


