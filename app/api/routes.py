"""JSON for the phone. Session-authenticated (a User, or a PinPrincipal from /canvass/join), CSRF
checked on every POST through the X-CSRFToken header.

POST /api/outcomes is the door-knock path: shape check -> access check on every household and
list in the batch (all or nothing: 403 stores nothing) -> ``app.contacts.record_contacts_grouped``.
"""
from __future__ import annotations

import orjson
from flask import Blueprint, Response, abort, jsonify, request
from flask_login import current_user

from ..auth.access import require_door_batch, require_list
from ..canvass.data import list_payload, lists_for_household_check, my_lists
from ..config import settings
from ..contacts import Actor, Status, parse_id, record_contacts_grouped
from ..db import get_session
from ..errors import NotFound, TooLarge, ValidationError
from ..models import WalkList

bp = Blueprint("api", __name__)

CANVASS_ROLES = ("canvasser", "pin", "organiser")


def _principal():
    """The signed-in canvasser; 401 (JSON) when anonymous, 403 without a canvassing role."""
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.has_role(*CANVASS_ROLES):
        abort(403)
    return current_user._get_current_object()


def _actor(principal) -> Actor:
    if principal.has_role("pin"):
        return Actor(pin_id=principal.pin.id, label=f"pin:{principal.pin.id}")
    return Actor(user_id=principal.id, label=principal.email)


def _body() -> bytes:
    """The request's bytes, refused (413) past ``[canvass] max_body_kb`` before they are read:
    by Content-Length up front, or once that much of a body sent without one (chunked) is read."""
    limit = int(settings().canvass.get("max_body_kb", 1024)) * 1024
    too_large = TooLarge(f"The body is larger than {limit // 1024} KB. Send fewer outcomes per request.")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    stream, chunks, size = request.stream, [], 0
    while size <= limit:
        chunk = stream.read(min(65536, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    raise too_large


def _batch() -> list:
    try:  # orjson, as for the answer: the request's JSON is the phone's outbox
        body = orjson.loads(_body()) if request.is_json else None
    except orjson.JSONDecodeError:
        body = None
    if body is None:
        raise ValidationError('The body must be JSON: {"outcomes": [...]}.')
    outcomes = body.get("outcomes") if isinstance(body, dict) else None
    if not isinstance(outcomes, list) or not outcomes:
        raise ValidationError('"outcomes" must be a non-empty list.')
    limit = int(settings().canvass.get("max_batch", 100))
    if len(outcomes) > limit:
        raise ValidationError(f"At most {limit} outcomes per request; this one has {len(outcomes)}. Send them in batches.")
    return outcomes


@bp.post("/outcomes")
def post_outcomes():
    principal = _principal()
    outcomes = _batch()
    session = get_session()
    households, lists = set(), set()
    for item in outcomes:
        if isinstance(item, dict):
            for key, bucket in (("household_id", households), ("walk_list_id", lists)):
                value = parse_id(item.get(key))
                if value is not None:
                    bucket.add(value)
    pairs = {(w, h) for item in outcomes if isinstance(item, dict)
             for w, h in [(parse_id(item.get("walk_list_id")), parse_id(item.get("household_id")))]
             if w is not None and h is not None}
    # Everything the batch touches must be visible before anything is written (403 stores nothing).
    on_list = require_door_batch(session, principal=principal, household_ids=households, list_ids=lists, pairs=pairs)
    if on_list is None:
        on_list = lists_for_household_check(session, pairs)

    # Items failing the list checks are rejected here; the rest go through the one write path.
    statuses: list[Status | None] = []
    to_record = []
    for item in outcomes:
        reason = _list_problem(item, on_list)
        if reason:
            statuses.append(Status(str(item.get("id")), "rejected", reason))
        else:
            statuses.append(None)
            to_record.append(item)
    actor, config = _actor(principal), settings()
    # Committed before answering, in a write transaction shared with this process's other
    # concurrent posts (retried on contention; safe because ids are idempotent).
    recorded = iter(record_contacts_grouped(session, events=to_record, actor=actor, settings=config, channel="door")
                    if to_record else [])
    results = [s if s is not None else next(recorded) for s in statuses]
    # orjson rather than jsonify: the answer is plain strings, and on the busiest route of
    # election day Flask's encoder cost ~5% of a door knock's CPU.
    return Response(orjson.dumps({"results": [s.as_dict() for s in results]}), mimetype="application/json")


def _list_problem(item, on_list: set) -> str:
    if not isinstance(item, dict):
        return ""  # record_contacts gives the reason
    raw = item.get("walk_list_id")
    if raw is None:
        return ""
    walk_list_id, household_id = parse_id(raw), parse_id(item.get("household_id"))
    if walk_list_id is None:
        return "walk_list_id must be an integer"
    if household_id is not None and (walk_list_id, household_id) not in on_list:
        return f"household {household_id} is not on walk list {walk_list_id}"
    return ""


@bp.get("/lists")
def get_lists():
    principal = _principal()
    return jsonify({"lists": my_lists(get_session(), principal=principal)})


@bp.get("/lists/<int:walk_list_id>")
def get_list(walk_list_id: int):
    principal = _principal()
    session = get_session()
    require_list(session, principal=principal, walk_list_id=walk_list_id)
    walk_list = session.get(WalkList, walk_list_id)
    if walk_list is None:
        raise NotFound(f"Walk list {walk_list_id} does not exist.")
    response = jsonify(list_payload(session, walk_list=walk_list, settings=settings()))
    # Personal data: the service worker keeps its own copy; nothing else should.
    response.headers["Cache-Control"] = "private, no-store"
    return response
