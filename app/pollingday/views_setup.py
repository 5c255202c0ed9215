"""Setting up polling day: one overview of the elections, polling stations and committee rooms
(organisers; committee-room staff may read it), the forms that create and edit them, and the
rehearsal wipe (organisers only). The command line does the same through the same operations."""
from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from ..auth.access import is_organiser, may_run_polling_day
from ..auth.decorators import roles_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Forbidden, ValidationError
from . import operations as ops
from . import queries_setup as queries
from .blueprint import bp
from .forms import ElectionForm, RoomForm, StationForm, WipeForm
from .wipe import wipe_rehearsal


def _actor() -> dict:
    return {"actor_user_id": current_user.id, "actor_label": current_user.email or f"user:{current_user.id}"}


def _overview(wipe_forms: dict | None = None, status: int = 200):
    session = get_session()
    page = queries.overview(session, settings=settings())
    session.rollback()  # a read: end it, so a SQLite writer is not kept waiting on this snapshot
    return render_template("pollingday/setup.html", page=page, organiser=is_organiser(current_user),
                           wipe_forms=wipe_forms or {}, blank_wipe=WipeForm(formdata=None),
                           purge_after_days=settings().pollingday.purge_after_days), status


@bp.get("/setup")
@login_required
def setup():
    if not may_run_polling_day(current_user):
        raise Forbidden("Polling-day set-up is for organisers (committee-room staff may look).")
    return _overview()


def _save(form, template: str, context: dict, work, done: str):
    """GET: the form; POST: judge it, then run ``work`` in a write transaction. Bad input: the
    form again with what to fix (422), nothing changed."""
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                result = write_transaction(get_session(), work)
            except ValidationError as err:
                form.form_errors.append(err.message)
            else:
                flash(done.format(result=result), "success")
                return redirect(url_for("pollingday.setup"))
        return render_template(template, form=form, **context), 422
    return render_template(template, form=form, **context), 200


def _election_page(election=None):
    form = ElectionForm(obj=election) if request.method == "GET" and election else ElectionForm()
    days = settings().pollingday.purge_after_days
    values = dict(name=form.name.data, polling_date=form.polling_date.data, polls_open=form.polls_open.data,
                  polls_close=form.polls_close.data, rehearsal=form.rehearsal.data, purge_after=form.purge_after.data,
                  **_actor())
    if election is None:
        def work(s):
            return ops.create_election(s, **values)
    else:
        def work(s):
            return ops.update_election(s, election_id=election.id, **values)
    # The default shown is polling day + purge_after_days, of the date on the form when it has one.
    when = form.polling_date.data or (election.polling_date if election else None)
    default = when + timedelta(days=days) if when and ops.FIRST_POLL <= when <= ops.LAST_POLL else None
    return _save(form, "pollingday/setup_election.html",
                 {"election": election, "purge_after_days": days, "default_purge": default}, work,
                 "Saved the election {result.name}.")


@bp.route("/setup/elections/new", methods=["GET", "POST"])
@roles_required("organiser")
def new_election():
    return _election_page()


@bp.route("/setup/elections/<int:election_id>", methods=["GET", "POST"])
@roles_required("organiser")
def edit_election(election_id: int):
    return _election_page(queries.get_election(get_session(), election_id=election_id))


def _areas_form(form_class, obj, codes):
    form = form_class(obj=obj, data={"districts": codes}) if request.method == "GET" and obj else form_class()
    form.districts.choices = [SelectChoice(code, label) for code, label in queries.district_choices(get_session())]
    return form


def _station_page(station=None, codes=()):
    form = _areas_form(StationForm, station, list(codes))
    values = dict(name=form.name.data, address=form.address.data or "", note=form.note.data or "",
                  lat=form.lat.data, lon=form.lon.data, opens=form.opens.data, closes=form.closes.data,
                  district_codes=form.districts.data or [], station_id=station.id if station else None, **_actor())
    return _save(form, "pollingday/setup_station.html", {"station": station},
                 lambda s: ops.save_station(s, **values), "Saved the polling station {result.name}.")


@bp.route("/setup/stations/new", methods=["GET", "POST"])
@roles_required("organiser")
def new_station():
    return _station_page()


@bp.route("/setup/stations/<int:station_id>", methods=["GET", "POST"])
@roles_required("organiser")
def edit_station(station_id: int):
    return _station_page(*queries.get_station(get_session(), station_id=station_id))


def _room_page(room=None, codes=()):
    form = _areas_form(RoomForm, room, list(codes))
    values = dict(name=form.name.data, address=form.address.data or "", district_codes=form.districts.data or [],
                  room_id=room.id if room else None, create_only=room is None, **_actor())
    return _save(form, "pollingday/setup_room.html", {"room": room},
                 lambda s: ops.set_committee_room(s, **values), "Saved the committee room {result.name}.")


@bp.route("/setup/rooms/new", methods=["GET", "POST"])
@roles_required("organiser")
def new_room():
    return _room_page()


@bp.route("/setup/rooms/<int:room_id>", methods=["GET", "POST"])
@roles_required("organiser")
def edit_room(room_id: int):
    return _room_page(*queries.get_room(get_session(), room_id=room_id))


@bp.post("/setup/elections/<int:election_id>/wipe")
@roles_required("organiser")
def wipe_election(election_id: int):
    election = queries.get_election(get_session(), election_id=election_id)
    form = WipeForm()
    if not form.validate_on_submit():
        return _overview({election.id: form}, 422)
    actor = _actor()
    counts = write_transaction(get_session(), lambda s: wipe_rehearsal(s, election_id=election_id, **actor))
    flash(f"Wiped the rehearsal {election.name}: {counts['tellings']} tellings, {counts['lifts']} lifts, "
          f"{counts['knockup_rounds']} knock-up rounds with {counts['walk_lists']} lists and "
          f"{counts['contact_events']} door knocks; {counts['voters_rebuilt']} voters' strike-off rebuilt.", "success")
    return redirect(url_for("pollingday.setup"))
