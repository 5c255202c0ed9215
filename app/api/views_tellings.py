"""POST /api/tellings: a teller's phone hands in who has voted, as the door-knock outbox hands in
outcomes (same body limit, batch limit, CSRF header and per-item answers: stored, duplicate, or
rejected with a reason). The rules are in ``app.pollingday.tellings``; who may post, in
``app.auth.access.may_tell``."""
from __future__ import annotations

import orjson
from flask import Response, abort
from flask_login import current_user

from ..auth.access import may_tell
from ..db import get_session, write_transaction
from ..errors import Forbidden
from ..pollingday.teller import station_electors
from ..pollingday.tellings import store_tellings
from .blueprint import bp
from .views import batch


@bp.post("/tellings")
def post_tellings():
    if not current_user.is_authenticated:
        abort(401)
    principal = current_user._get_current_object()
    if not may_tell(principal):
        raise Forbidden("Only tellers and organisers record who has voted.")
    items = batch("tellings")
    results = write_transaction(get_session(), lambda s: store_tellings(s, items=items, actor_user_id=principal.id))
    return Response(orjson.dumps({"results": [r.as_dict() for r in results]}), mimetype="application/json")


@bp.get("/stations/<int:station_id>/electors")
def get_station_electors(station_id: int):
    """The station's electors for the teller's name/address search; the phone keeps it offline."""
    if not current_user.is_authenticated:
        abort(401)
    if not may_tell(current_user):
        raise Forbidden("Only tellers and organisers see a station's electors.")
    electors = station_electors(get_session(), station_id=station_id)
    response = Response(orjson.dumps({"station_id": station_id, "electors": electors}), mimetype="application/json")
    # Personal data: the service worker keeps its own copy (wiped at sign-out); nothing else should.
    response.headers["Cache-Control"] = "private, no-store"
    return response
