"""Public event pages: the event, RSVP and cancel, its calendar file, check-in, reminder opt-out."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth import access
from ..db import get_session, write_transaction
from ..errors import Forbidden, ValidationError
from ..models import EventStatus
from . import checkin as checkins
from . import calendar, queries, reminders, rsvps
from .blueprint import bp
from .forms import ButtonForm, RsvpForm


def _signup(next_path: str):
    return redirect("/get-involved/sign-up?" + urlencode({"next": next_path}))


def _require_user():
    if current_user.is_authenticated and current_user.has_role("pin"):
        raise Forbidden("Sign in with your own account (not a list PIN) to do this.")


@bp.get("/<int:event_id>")
def show(event_id: int):
    session = get_session()
    event = queries.public_event(session, event_id=event_id)
    event_shifts = queries.shifts(session, event_id=event.id)
    left = queries.spaces(event, queries.going_by_shift(session, event_id=event.id), event_shifts)
    form = RsvpForm()
    form.shift_id.choices = [("", "Any time")] + [(str(s.id), str(s.id)) for s in event_shifts]
    return render_template("events/show.html", event=event, shifts=event_shifts, left=left, form=form,
                           team=queries.team_name(session, event.team_id), button=ButtonForm(),
                           mine=queries.my_rsvp(session, event_id=event.id, principal=current_user),
                           cancelled=event.status == EventStatus.CANCELLED,
                           manage=access.may_manage_event(session, principal=current_user, event=event))


@bp.post("/<int:event_id>/rsvp")
def rsvp(event_id: int):
    if not current_user.is_authenticated:
        return _signup(url_for("events.show", event_id=event_id))
    _require_user()
    form = RsvpForm()
    if not form.validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    raw = (form.shift_id.data or "").strip()
    if raw and (not raw.isdigit() or len(raw) > 18):
        raise ValidationError("Choose one of the event's shifts.")
    session = get_session()
    write_transaction(session, lambda s: rsvps.rsvp(s, event_id=event_id, user_id=current_user.id,
                                                     shift_id=int(raw) if raw else None))
    flash("You are going. See you there!")
    return redirect(url_for("events.show", event_id=event_id))


@bp.post("/<int:event_id>/cancel")
def cancel(event_id: int):
    if not current_user.is_authenticated:
        return _signup(url_for("events.show", event_id=event_id))
    _require_user()
    if not ButtonForm().validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    session = get_session()
    queries.public_event(session, event_id=event_id)
    write_transaction(session, lambda s: rsvps.cancel_rsvp(s, event_id=event_id, user_id=current_user.id))
    flash("Your place is cancelled. Thank you for telling us.")
    return redirect(url_for("events.show", event_id=event_id))


@bp.get("/<int:event_id>.ics")
def ics(event_id: int):
    session = get_session()
    event = queries.public_event(session, event_id=event_id)
    if event.status != EventStatus.APPROVED:
        abort(404)
    response = make_response(calendar.ics(event, url=reminders.absolute(url_for("events.show", event_id=event.id))))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="event-{event.id}.ics"'
    return response


@bp.route("/<int:event_id>/check-in/<code>", methods=["GET", "POST"])
def checkin(event_id: int, code: str):
    session = get_session()
    event = checkins.event_for_code(session, event_id=event_id, code=code)
    if not current_user.is_authenticated:
        return _signup(request.path)
    _require_user()
    if request.method == "GET":
        mine = queries.my_rsvp(session, event_id=event.id, principal=current_user)
        if mine is None or mine.checked_in_at is None:
            opens, closes = checkins.window(event)
            return render_template("events/checkin.html", event=event, button=ButtonForm(), opens=opens, closes=closes)
    elif not ButtonForm().validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    preferred = checkins.preferred_lists(session, event_id=event.id)
    result = write_transaction(session, lambda s: checkins.check_in(
        s, event_id=event_id, code=code, user_id=current_user.id, actor_id=current_user.id, preferred=preferred))
    return _after_checkin(result)


def _after_checkin(result):
    if result.walk_list is not None:
        if result.already:
            flash(f"You are already checked in; your list is {result.walk_list.name}.")
        else:
            flash(f"You are checked in. Your list is {result.walk_list.name}: happy knocking!")
        return redirect(url_for("canvass.list_page", walk_list_id=result.walk_list.id))
    if result.phonebank:
        flash("You are checked in." if not result.already else "You are already checked in.")
        return redirect(url_for("phonebank.index"))
    return render_template("events/checked_in.html", result=result)


@bp.route("/reminders/stop/<token>", methods=["GET", "POST"])
def stop_reminders(token: str):
    user_id = reminders.user_for_stop_token(token)
    if request.method == "POST":
        if not ButtonForm().validate_on_submit():
            raise ValidationError("This form has expired; reload the page and try again.")
        write_transaction(get_session(), lambda s: reminders.opt_out(s, user_id=user_id))
        return render_template("events/stopped.html", done=True, button=None)
    return render_template("events/stopped.html", done=False, button=ButtonForm())
