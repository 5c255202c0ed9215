"""Twilio's webhooks: the TwiML that bridges a call, and call status callbacks.

Twilio cannot send a CSRF token, so these views are CSRF-exempt; the X-Twilio-Signature check
(HMAC of the public URL and the POSTed fields with our auth token) is what protects them. An
unsigned or forged request gets 403 before anything is read or changed.
"""
from __future__ import annotations

from functools import wraps

from flask import Response, abort, request
from sqlmodel import Session
from twilio.request_validator import SIGNATURE_HEADER, SIGNATURE_SETTINGS_HEADER, RequestValidator, \
    get_signature_algorithm
from twilio.twiml.voice_response import VoiceResponse

from ..config import settings
from ..contacts import ledger_blocks
from ..db import get_session, write_transaction
from ..extensions import csrf
from ..models import CallAttempt, Person, utcnow
from . import telephony
from .blueprint import bp

# Later events never go back to earlier ones, whatever order Twilio's callbacks arrive in.
STATUS_RANK = {"queued": 0, "initiated": 1, "ringing": 2, "in-progress": 3, "answered": 3,
               "completed": 4, "busy": 4, "no-answer": 4, "failed": 4, "canceled": 4}


def signed_url() -> str:
    """The URL Twilio requested, as Twilio saw it (behind a proxy our own request.url differs)."""
    query = request.query_string.decode()
    return telephony.public_url(settings(), request.script_root + request.path) + (f"?{query}" if query else "")


def signature_valid() -> bool:
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not signature:
        return False
    validator = RequestValidator(settings().twilio.auth_token)
    algorithm = get_signature_algorithm(request.headers.get(SIGNATURE_SETTINGS_HEADER))
    return validator.validate(signed_url(), request.form, signature, algorithm)


def twilio_only(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not telephony.bridging_enabled(settings()):
            abort(404)  # no Twilio settings: there are no webhooks
        if not signature_valid():
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def _twiml(response: VoiceResponse) -> Response:
    return Response(str(response), mimetype="text/xml")


@bp.post("/twiml/<int:attempt_id>")
@csrf.exempt
@twilio_only
def twiml(attempt_id: int):
    """The caller answered: dial the voter from the campaign's number (never recorded)."""
    session: Session = get_session()
    attempt = session.get(CallAttempt, attempt_id)
    response = VoiceResponse()
    person = session.get(Person, attempt.person_id) if attempt is not None and attempt.person_id else None
    if attempt is None or person is None or attempt.disposition is not None:
        response.say("This call is no longer open. Goodbye.")
        response.hangup()
        return _twiml(response)
    if person.phone_retired_at or ledger_blocks(session, person_id=person.id, household_id=person.household_id,
                                                phone=attempt.phone):
        response.say("This number may not be called. Goodbye.")
        response.hangup()
        return _twiml(response)
    dial = response.dial(caller_id=settings().twilio.caller_id, record="do-not-record", answer_on_bridge=True)
    dial.number(attempt.phone)
    return _twiml(response)


@bp.post("/status/<int:attempt_id>")
@csrf.exempt
@twilio_only
def call_status(attempt_id: int):
    """Store initiated / ringing / answered / completed (and busy, no-answer, failed) on the attempt."""
    sid, status = request.form.get("CallSid", ""), request.form.get("CallStatus", "")
    duration = request.form.get("CallDuration", "")
    if status in STATUS_RANK and sid:
        write_transaction(get_session(), lambda s: _store_status(s, attempt_id, sid, status, duration))
    return "", 204


def _store_status(session: Session, attempt_id: int, sid: str, status: str, duration: str) -> None:
    attempt = session.get(CallAttempt, attempt_id)
    # The first callback can beat our own commit of the SID; a different SID is an older call.
    if attempt is None or attempt.twilio_call_sid not in (None, sid):
        return
    if STATUS_RANK[status] >= STATUS_RANK.get(attempt.twilio_status or "queued", 0):
        attempt.twilio_call_sid, attempt.twilio_status, attempt.status_updated_at = sid, status, utcnow()
        if duration.isdigit():
            attempt.duration_s = int(duration)
