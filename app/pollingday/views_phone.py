"""Phone knock-up from a committee room's dashboard: a round of its pledges not yet voted, into
the phone bank's live queue (app.pollingday.phone_knockup)."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from ..auth.access import may_run_polling_day
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Forbidden, ValidationError
from . import phone_knockup as ops
from .blueprint import bp
from .forms import ButtonForm


@bp.post("/rooms/<int:room_id>/phone-knockup")
@login_required
def start_phone_knockup(room_id: int):
    if not may_run_polling_day(current_user):
        raise Forbidden("Committee-room pages are for committee-room staff and organisers.")
    if not ButtonForm().validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    user_id = current_user.id
    try:
        got = write_transaction(get_session(), lambda s: ops.start_phone_knockup(
            s, committee_room_id=room_id, created_by_id=user_id, settings=settings()))
    except ValidationError as err:
        # Nobody left to phone is news for the room, not a broken request: back to its dashboard.
        # (No such room is a NotFound, which is not caught here: a 404.)
        flash(err.message, "error")
        return redirect(url_for("pollingday.room", room_id=room_id))
    flash(f"Phone knock-up started: {got.queued} number{'s' if got.queued != 1 else ''} "
          f"({got.people} pledge{'s' if got.people != 1 else ''}) in the phone bank's queue as “{got.name}”. "
          "Anyone told as voted drops out before a caller gets them.", "success")
    return redirect(url_for("pollingday.room", room_id=room_id))
