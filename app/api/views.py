"""JSON for the phone. Session-authenticated (a User, or a PinPrincipal from /canvass/join), CSRF
checked on every POST through the X-CSRFToken header.

POST /api/outcomes is the door-knock path: shape check -> access check on every household and
list in the batch (one query when everything is visible) -> ``app.contacts.record_contacts_grouped``.
Items at doors the caller does not hold are judged one by one (``outcomes.judge``): stored late
when recorded while the caller held the list, otherwise rejected with a reason and kept for the
organiser (``app.canvass.late``).
"""
from __future__ import annotations

import orjson
from flask import Response, abort, jsonify, request
from flask_login import current_user

from ..auth.access import require_list
from ..auth.principals import LapsedPinPrincipal
from ..canvass.data import list_payload, my_lists
from ..config import settings
from ..contacts import Actor
from ..db import get_session
from ..errors import NotFound, TooLarge, ValidationError
from ..models import WalkList
from .blueprint import bp
from .outcomes import receive


CANVASS_ROLES = ("canvasser", "knocker", "pin", "organiser")


def _principal():
    """The signed-in canvasser; 401 (JSON) when anonymous, 403 without a canvassing role."""
    if not current_user.is_authenticated:
        abort(401)
    if not current_user.has_role(*CANVASS_ROLES):
        abort(403)
    return current_user._get_current_object()


def _poster():
    """Who may hand in outcomes: a canvasser (``_principal``), or a PIN joiner whose PIN lapsed,
    for what they recorded while it was good (judged per item)."""
    user = current_user._get_current_object()
    return user if isinstance(user, LapsedPinPrincipal) else _principal()


def _actor(principal) -> Actor:
    pin = getattr(principal, "pin", None)
    if pin is not None:
        return Actor(pin_id=pin.id, label=f"pin:{pin.id}")
    return Actor(user_id=principal.id, label=principal.email)


def _label(principal) -> str:
    pin = getattr(principal, "pin", None)
    return (f"PIN {pin.label}" if pin.label else f"PIN {pin.id}") if pin is not None else principal.email


def _body() -> bytes:
    """The request's bytes, refused (413) past ``[canvass] max_body_kb`` before they are read:
    by Content-Length up front, or once that much of a body sent without one (chunked) is read."""
    limit = settings().canvass.max_body_kb * 1024
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


def batch(key: str = "outcomes") -> list:
    """The body's list under ``key`` (outcomes, tellings), bounded by ``[canvass] max_batch``."""
    try:  # orjson, as for the answer: the request's JSON is the phone's outbox
        body = orjson.loads(_body()) if request.is_json else None
    except orjson.JSONDecodeError:
        body = None
    if body is None:
        raise ValidationError(f'The body must be JSON: {{"{key}": [...]}}.')
    items = body.get(key) if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise ValidationError(f'"{key}" must be a non-empty list.')
    limit = settings().canvass.max_batch
    if len(items) > limit:
        raise ValidationError(f"At most {limit} {key} per request; this one has {len(items)}. Send them in batches.")
    return items


@bp.post("/outcomes")
def post_outcomes():
    principal = _poster()
    outcomes = batch()
    results = receive(get_session(), principal=principal, outcomes=outcomes, actor=_actor(principal),
                      label=_label(principal), settings=settings())
    # orjson rather than jsonify: the answer is plain strings, and on the busiest route of
    # election day Flask's encoder cost ~5% of a door knock's CPU.
    return Response(orjson.dumps({"results": [s.as_dict() for s in results]}), mimetype="application/json")


@bp.get("/lists")
def get_lists():
    principal = _principal()
    return jsonify({"lists": my_lists(get_session(), principal=principal)})


def _visible_list(walk_list_id: int) -> WalkList:
    """The list, if the signed-in canvasser may open it (401, 403, 404 otherwise)."""
    principal = _principal()
    session = get_session()
    require_list(session, principal=principal, walk_list_id=walk_list_id)
    walk_list = session.get(WalkList, walk_list_id)
    if walk_list is None:
        raise NotFound(f"Walk list {walk_list_id} does not exist.")
    return walk_list


@bp.get("/lists/<int:walk_list_id>")
def get_list(walk_list_id: int):
    walk_list, session = _visible_list(walk_list_id), get_session()
    payload = list_payload(session, walk_list=walk_list, settings=settings())
    principal = _principal()  # the door script's {canvasser_name}, as the call screen names a caller
    payload["canvasser_name"] = (principal.name or (principal.email or "").split("@")[0]).strip()
    response = jsonify(payload)
    # Personal data: the service worker keeps its own copy; nothing else should.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/lists/<int:walk_list_id>/voted")
def get_list_voted(walk_list_id: int):
    """A knock-up list's strike-off: who behind its doors has voted (asked every few seconds)."""
    from ..pollingday.knockup_lists import voted_on_list

    walk_list, session = _visible_list(walk_list_id), get_session()
    body = voted_on_list(session, walk_list=walk_list)
    session.rollback()  # a read polled by every open list: never keep a SQLite writer waiting on it
    response = Response(orjson.dumps(body), mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response
