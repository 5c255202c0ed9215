"""Reminders before an event (email; SMS through Twilio when it is set up), the opt-out link, and
thank-yous after it. Messages go out after the transaction that chose them: each recipient is
marked only once their message was accepted, so one failure leaves the others and a rerun
(cron) sends just what is still due."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, has_request_context, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, select

from .. import mail
from ..clock import campaign_time
from ..config import settings
from ..db import write_transaction
from ..errors import NotFound
from ..models import Event, EventStatus, ReminderOptOut, Rsvp, RsvpStatus, User, utcnow
from . import queries

CHANNELS = ("email", "sms")


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="legwork-reminder-stop")


def stop_token(user_id: int) -> str:
    return _signer().dumps({"u": user_id})


def user_for_stop_token(token: str) -> int:
    try:
        data = _signer().loads(token)
        return int(data["u"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("That link is not valid.") from None


def opt_out(session: Session, *, user_id: int, channels=CHANNELS) -> None:
    if session.get(User, user_id) is None:
        raise NotFound("That link is not valid.")
    for channel in channels:
        if session.get(ReminderOptOut, (user_id, channel)) is None:
            session.add(ReminderOptOut(user_id=user_id, channel=channel))
    session.flush()


def absolute(path: str) -> str:
    base = settings().volunteers.public_base_url.rstrip("/")
    if not base and has_request_context():
        base = request.host_url.rstrip("/")
    return (base or "http://localhost") + path


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _due(session: Session, *, channel: str, hours: float, now) -> list[tuple[int, Event, User]]:
    marker = Rsvp.reminded_email_at if channel == "email" else Rsvp.reminded_sms_at
    opted = select(ReminderOptOut.user_id).where(ReminderOptOut.channel == channel)
    rows = session.exec(select(Rsvp.id, Event, User).join(Event, Event.id == Rsvp.event_id)
                        .join(User, User.id == Rsvp.user_id)
                        .where(Rsvp.status == RsvpStatus.GOING, marker.is_(None), Event.status == EventStatus.APPROVED,
                               Event.starts_at > now, Event.starts_at <= now + timedelta(hours=hours),
                               User.is_active.is_(True), Rsvp.user_id.not_in(opted))
                        .order_by(Event.starts_at, Rsvp.id)).all()
    session.expunge_all()  # keep what was read, and send with no transaction open
    session.rollback()
    return [(r, e, u) for r, e, u in rows if channel == "email" or u.phone]


def _mark(session: Session, *, rsvp_id: int, column: str) -> None:
    row = session.get(Rsvp, rsvp_id)
    if row is not None and getattr(row, column) is None:
        setattr(row, column, utcnow())
        session.add(row)


def _email_body(event: Event, user: User) -> str:
    where = f"\nWhere: {event.meeting_point}" if event.meeting_point else ""
    return (f"Hello {user.name or 'there'},\n\nA reminder: {event.title} starts at "
            f"{campaign_time(event.starts_at)}.{where}\n\nDetails: {absolute(f'/events/{event.id}')}\n"
            f"Cannot come? Cancel on that page so someone else can have your place.\n\n"
            f"No more reminders: {absolute(f'/events/reminders/stop/{stop_token(user.id)}')}\n")


def _sms_body(event: Event, user: User) -> str:
    return (f"{settings().campaign_name}: {event.title} at {campaign_time(event.starts_at, '%H:%M')}"
            f"{', ' + event.meeting_point if event.meeting_point else ''}. Reply STOP for no more texts, "
            f"or {absolute(f'/events/reminders/stop/{stop_token(user.id)}')}")


def send_sms(*, to: str, body: str) -> None:
    """One text through the Twilio adapter (the SDK); raises TelephonyError on failure."""
    from ..phonebank.telephony import send_sms as text

    text(settings(), to=to, body=body)


def send_reminders(session: Session, *, now=None) -> dict[str, Tally]:
    now = now or utcnow()
    cfg = settings().events
    tallies = {"email": Tally(), "sms": Tally()}
    channels = [("email", cfg.email_reminder_hours, "reminded_email_at")]
    if settings().twilio_enabled and settings().twilio.caller_id:
        channels.append(("sms", cfg.sms_reminder_hours, "reminded_sms_at"))
    for channel, hours, column in channels:
        tally = tallies[channel]
        for rsvp_id, event, user in _due(session, channel=channel, hours=hours, now=now):
            try:
                if channel == "email":
                    mail.send(to=user.email, subject=f"Reminder: {event.title}", body=_email_body(event, user))
                else:
                    send_sms(to=user.phone, body=_sms_body(event, user))
            except Exception as exc:  # one bad address or refusal must not stop the rest
                tally.failed += 1
                tally.errors.append(f"rsvp {rsvp_id}: {type(exc).__name__}")
                continue
            write_transaction(session, lambda s, i=rsvp_id, c=column: _mark(s, rsvp_id=i, column=c))
            tally.sent += 1
    return tallies


def send_thanks(session: Session, *, event_id: int) -> Tally:
    """Thank each attendee (attended, or checked in when not recorded) once; the caller checked access."""
    event = session.get(Event, event_id)
    if event is None:
        raise NotFound(f"Event {event_id} does not exist.")
    done = queries.results(session, event=event)
    rows = session.exec(select(Rsvp.id, User).join(User, User.id == Rsvp.user_id).where(
        Rsvp.event_id == event.id, Rsvp.thanked_at.is_(None), Rsvp.status == RsvpStatus.GOING)).all()
    attendees = [(rid, u) for rid, u in rows if _attended(session.get(Rsvp, rid))]
    session.expunge_all()
    session.rollback()
    tally = Tally()
    what = [f"{done['doors']} doors knocked", f"{done['conversations']} conversations"]
    if done["calls"]:
        what.append(f"{done['calls']} calls made")
    for rsvp_id, user in attendees:
        body = (f"Hello {user.name or 'there'},\n\nThank you for coming to {event.title}. Together we made "
                f"{', '.join(what)}.\n\nSee you at the next one: {absolute('/get-involved')}\n")
        try:
            mail.send(to=user.email, subject=f"Thank you: {event.title}", body=body)
        except mail.MailError:
            tally.failed += 1
            continue
        write_transaction(session, lambda s, i=rsvp_id: _mark(s, rsvp_id=i, column="thanked_at"))
        tally.sent += 1
    if not tally.failed:
        write_transaction(session, lambda s: _thanked(s, event_id=event.id))
    return tally


def _attended(row: Rsvp) -> bool:
    return bool(row.attended) if row.attended is not None else row.checked_in_at is not None


def _thanked(session: Session, *, event_id: int) -> None:
    event = session.get(Event, event_id)
    if event.thanked_at is None:
        event.thanked_at = utcnow()
        session.add(event)
