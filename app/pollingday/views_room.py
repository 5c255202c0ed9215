"""Committee rooms: the list, and each room's dashboard with the sizing calculator. The live
part of the dashboard is re-read every 10 s by app/static/pollingday/room.js from live.json
(the same fragment, rendered server-side, with the figures beside it)."""
from __future__ import annotations

from flask import jsonify, render_template, request
from flask_login import current_user, login_required

from ..auth.access import may_run_polling_day
from ..config import settings
from ..db import get_session
from ..errors import Forbidden, ValidationError
from ..models import utcnow
from . import dashboard as board_queries
from . import knockup_queries
from .blueprint import bp
from .elections import current_election_id
from .forms import ButtonForm, SizingForm
from .pledges import postal_reminders, size

REFRESH_SECONDS = 10


def _require() -> None:
    if not may_run_polling_day(current_user):
        raise Forbidden("Committee-room pages are for committee-room staff and organisers.")


@bp.get("/rooms")
@login_required
def rooms():
    _require()
    return render_template("pollingday/rooms.html", rooms=board_queries.rooms(get_session()))


def _board(room_id: int):
    _require()
    session = get_session()
    board = board_queries.dashboard(session, room_id=room_id, settings=settings())
    session.rollback()  # a read: end it, so a SQLite writer is not kept waiting on this snapshot
    return board


def _live(board) -> str:
    return render_template("pollingday/_room_live.html", board=board, bars=board_queries.chart(board), now=utcnow())


@bp.get("/rooms/<int:room_id>")
@login_required
def room(room_id: int):
    board = _board(room_id)
    form, sizing, status = SizingForm(request.args), None, 200
    if form.votes.data or form.turnout.data:
        try:
            if not form.validate():
                raise ValidationError("Votes needed and turnout are at most 20 characters each.")
            sizing = size(votes_needed=form.votes.data, turnout_percent=form.turnout.data,
                          pledges_held=board.total.pledges)
        except ValidationError as err:
            form.form_errors.append(err.message)
            status = 422
    session = get_session()
    knockup = knockup_queries.rounds(session, room_id=room_id, election_id=current_election_id(session))
    session.rollback()
    return render_template("pollingday/room.html", board=board, live=_live(board), form=form, sizing=sizing,
                           refresh=REFRESH_SECONDS, rounds=knockup, button=ButtonForm()), status


@bp.get("/rooms/<int:room_id>/live.json")
@login_required
def room_live(room_id: int):
    board = _board(room_id)
    response = jsonify(html=_live(board), **board_queries.as_json(board, now=utcnow()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/rooms/<int:room_id>/postal")
@login_required
def room_postal(room_id: int):
    """The room's pledged postal voters: a reminder to post their ballot, never a knock-up."""
    board = _board(room_id)
    session = get_session()
    people = postal_reminders(session, settings=settings(), neighbourhood_ids=[d.id for d in board.districts])
    session.rollback()
    return render_template("pollingday/postal.html", board=board, people=people)
