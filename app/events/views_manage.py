"""Running events: the organiser's and lead's list, create and edit forms, approving proposals, and
an event's admin page (who is coming, check-in QR code, tick names, attendance, thank-yous)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlmodel import select

from ..auth import access
from ..auth.operations import qr_svg
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Forbidden, ValidationError
from ..models import Event, Team, TeamMember, User
from . import checkin as checkins
from . import operations as ops
from . import queries, reminders, rsvps
from .blueprint import bp
from .forms import ButtonForm, EventForm, TrustedHostForm, to_local


def _may_create():
    access_ok = access.may_create_events(get_session(), principal=current_user)
    if not access_ok:
        raise Forbidden("Only organisers, team leads and volunteers in a team may create events.")


def _managed(event_id: int) -> Event:
    session = get_session()
    event = ops.get_event(session, event_id)
    if not access.may_manage_event(session, principal=current_user, event=event):
        raise Forbidden("You may not run this event.")
    return event


def _choices(session, form: EventForm) -> None:
    organiser = access.is_organiser(current_user)
    leads = access.lead_team_ids(session, principal=current_user)
    team_ids = None if organiser else leads | access.member_team_ids(session, principal=current_user)
    teams = session.exec(select(Team).where(Team.id.in_(team_ids or {-1})) if team_ids is not None
                         else select(Team)).all()
    form.team_id.choices = ([("", "No team")] if organiser else []) + sorted(
        ((str(t.id), t.name) for t in teams), key=lambda c: c[1])
    if organiser:
        hosts = session.exec(select(User).where(User.is_active.is_(True)).order_by(User.name).limit(1000)).all()
    else:
        members = select(TeamMember.user_id).where(TeamMember.team_id.in_(leads or {-1}))
        hosts = session.exec(select(User).where(User.is_active.is_(True),
                                                (User.id.in_(members)) | (User.id == current_user.id))).all()
    form.host_id.choices = [("", "Me")] + [(str(u.id), u.name or u.email) for u in hosts if u.id != current_user.id]
    lists, sheets = [], []
    if organiser:
        lists, sheets = queries.work_choices(session, principal=current_user, team_id=None)
    else:
        for team_id in sorted(leads):
            more = queries.work_choices(session, principal=current_user, team_id=team_id)
            lists += [w for w in more[0] if w not in lists]
            sheets += [s for s in more[1] if s not in sheets]
    form.walk_list_ids.choices = [(w.id, w.name) for w in lists]
    form.call_sheet_ids.choices = [(s.id, s.name) for s in sheets]


def _form_page(form: EventForm, event: Event | None):
    return render_template("events/form.html", form=form, event=event, maps=settings().maps,
                           center=queries.map_centre(get_session()))


@bp.get("/manage")
@login_required
def manage():
    session = get_session()
    _may_create()
    events = queries.managed_events(session, principal=current_user)
    leads = {e.id for e in events if access.can_lead_team(session, principal=current_user, team_id=e.team_id)}
    return render_template("events/manage.html", events=events, leads=leads, button=ButtonForm())


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    session = get_session()
    _may_create()
    form = EventForm()
    _choices(session, form)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _form_page(form, None), 422
        try:
            event = write_transaction(session, lambda s: ops.create_event(s, actor=current_user, data=form.to_input()))
        except ValidationError as err:
            form.form_errors.append(err.message)
            return _form_page(form, None), 422
        flash("Event created." if event.status == "approved" else "Event proposed: a team lead will look at it.")
        return redirect(url_for("events.admin", event_id=event.id))
    return _form_page(form, None)


@bp.route("/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    session = get_session()
    event = _managed(event_id)
    if request.method == "GET":
        shifts = queries.shifts(session, event_id=event.id)
        lists, sheets = queries.work(session, event_id=event.id)
        form = EventForm(data=dict(
            kind=event.kind, title=event.title, description=event.description, meeting_point=event.meeting_point,
            starts_at=to_local(event.starts_at), ends_at=to_local(event.ends_at), lat=event.lat, lon=event.lon,
            capacity=event.capacity, team_id=str(event.team_id or ""), host_id=str(event.host_id or ""),
            walk_list_ids=[w.id for w in lists], call_sheet_ids=[s.id for s in sheets],
            shifts=[dict(starts_at=to_local(s.starts_at), ends_at=to_local(s.ends_at), capacity=s.capacity)
                    for s in shifts]))
        _choices(session, form)
        return _form_page(form, event)
    form = EventForm()
    _choices(session, form)
    if not form.validate_on_submit():
        return _form_page(form, event), 422
    try:
        write_transaction(session, lambda s: ops.update_event(s, actor=current_user, event_id=event_id,
                                                              data=form.to_input()))
    except ValidationError as err:
        form.form_errors.append(err.message)
        return _form_page(form, event), 422
    flash("Event saved.")
    return redirect(url_for("events.admin", event_id=event_id))


def _button_post():
    if not ButtonForm().validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")


def _set_status(event_id: int, action: str, message: str):
    _button_post()
    write_transaction(get_session(), lambda s: ops.set_status(s, actor=current_user, event_id=event_id, action=action))
    flash(message)
    return redirect(url_for("events.admin", event_id=event_id))


@bp.post("/<int:event_id>/admin/approve")
@login_required
def approve(event_id: int):
    return _set_status(event_id, "approve", "Event approved: it is public now.")


@bp.post("/<int:event_id>/admin/decline")
@login_required
def decline(event_id: int):
    return _set_status(event_id, "decline", "Proposal declined.")


@bp.post("/<int:event_id>/admin/cancel")
@login_required
def cancel_event(event_id: int):
    return _set_status(event_id, "cancel", "Event cancelled.")


@bp.get("/<int:event_id>/admin")
@login_required
def admin(event_id: int):
    session = get_session()
    event = _managed(event_id)
    rows = queries.admin_rows(session, event_id=event.id)
    url = reminders.absolute(url_for("events.checkin", event_id=event.id, code=event.checkin_code))
    lists, sheets = queries.work(session, event_id=event.id)
    return render_template("events/admin.html", event=event, rows=rows, counts=queries.counts(event, rows),
                           qr=Markup(qr_svg(url)), checkin_url=url, lists=lists, sheets=sheets,
                           window=checkins.window(event), button=ButtonForm(),
                           leads=access.can_lead_team(session, principal=current_user, team_id=event.team_id),
                           team=queries.team_name(session, event.team_id))


@bp.post("/<int:event_id>/admin/check-in/<int:user_id>")
@login_required
def tick(event_id: int, user_id: int):
    _managed(event_id)
    _button_post()
    result = write_transaction(get_session(), lambda s: checkins.check_in(
        s, event_id=event_id, code=None, user_id=user_id, actor_id=current_user.id))
    what = f"; their list is {result.walk_list.name} (under My lists on their phone)" if result.walk_list else ""
    flash(f"Checked in{what}.")
    return redirect(url_for("events.admin", event_id=event_id))


@bp.post("/<int:event_id>/admin/attendance")
@login_required
def attendance(event_id: int):
    _managed(event_id)
    _button_post()
    try:
        shown = {int(v) for v in request.form.getlist("rsvp") if len(v) < 19}
        present = {int(v) for v in request.form.getlist("attended") if len(v) < 19}
    except ValueError:
        raise ValidationError("The attendance form was garbled; reload the page and try again.") from None
    write_transaction(get_session(), lambda s: rsvps.record_attendance(
        s, actor=current_user, event_id=event_id, attended={i: i in present for i in shown | present}))
    flash("Attendance saved.")
    return redirect(url_for("events.admin", event_id=event_id))


@bp.post("/<int:event_id>/admin/thank")
@login_required
def thank(event_id: int):
    _managed(event_id)
    _button_post()
    tally = reminders.send_thanks(get_session(), event_id=event_id)
    flash(f"Thank-yous sent: {tally.sent}." + (f" {tally.failed} could not be sent; press again later."
                                              if tally.failed else ""))
    return redirect(url_for("events.admin", event_id=event_id))


@bp.post("/trusted-host/<int:user_id>")
@login_required
def trusted_host(user_id: int):
    form = TrustedHostForm()
    if not form.validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    write_transaction(get_session(), lambda s: ops.set_trusted_host(s, actor=current_user, user_id=user_id,
                                                                    trusted=form.trusted.data))
    flash("Saved: their events need no approval now." if form.trusted.data else "Saved: their events need approval.")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("events.manage"))
