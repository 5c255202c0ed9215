"""Knock-up rounds from the committee room: start the next round, print its sheets (or the whole
constituency's), and the page a sheet's QR code opens to take a list."""
from __future__ import annotations

import io

import qrcode
import sqlalchemy as sa
import qrcode.image.svg
from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from ..auth.access import is_user, may_run_polling_day
from ..clock import campaign_time
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Forbidden, NotFound, ValidationError
from ..models import CommitteeRoom, KnockupRound, WalkList, utcnow
from . import knockup as ops
from . import knockup_queries as queries
from .blueprint import bp
from .elections import current_election_id
from .forms import ButtonForm


def _require() -> None:
    if not may_run_polling_day(current_user):
        raise Forbidden("Knock-up rounds are run by committee-room staff and organisers.")


@bp.post("/rooms/<int:room_id>/rounds")
@login_required
def start_round(room_id: int):
    _require()
    if not ButtonForm().validate_on_submit():
        raise ValidationError("This form has expired; reload the page and try again.")
    by = current_user.id
    knock = write_transaction(get_session(), lambda s: ops.start_round(s, room_id=room_id, settings=settings(),
                                                                         started_by_id=by))
    flash(f"Round {knock.number} started: {knock.door_count} doors, {knock.pledge_count} pledges to knock up.",
          "success")
    return redirect(url_for("pollingday.room", room_id=room_id) + "#knockup")


def _qr(url: str) -> Markup:
    svg = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=6, border=2).save(svg)
    return Markup("<svg" + svg.getvalue().decode().split("<svg", 1)[1])


def _sheets_page(title: str, round_ids: list[int]):
    session = get_session()
    found = queries.sheets(session, round_ids=round_ids, settings=settings())
    session.rollback()
    secret = current_app.config["SECRET_KEY"]
    links = {s.walk_list.id: url_for("pollingday.knock_join", token=queries.join_token(secret, s.walk_list.id),
                                     _external=True) for s in found}
    return render_template("pollingday/knockup_sheets.html", title=title, sheets=found, links=links,
                           qr={i: _qr(u) for i, u in links.items()}, codes=settings().knockup_outcomes,
                           printed=campaign_time(utcnow()))


@bp.get("/rooms/<int:room_id>/rounds/<int:number>/sheets")
@login_required
def round_sheets(room_id: int, number: int):
    _require()
    session = get_session()
    room = session.get(CommitteeRoom, room_id)
    election_id = current_election_id(session)
    knock = session.execute(sa.select(KnockupRound).where(
        KnockupRound.committee_room_id == room_id, KnockupRound.number == number,
        KnockupRound.election_id == election_id)).scalar_one_or_none() if room else None
    if knock is None:
        raise NotFound("That knock-up round does not exist.")
    return _sheets_page(f"{room.name} · round {number}", [knock.id])


@bp.get("/sheets")
@login_required
def all_sheets():
    """Every committee room's current round: the whole constituency's sheets to print at once."""
    _require()
    session = get_session()
    return _sheets_page("Knock-up sheets · every committee room",
                        queries.latest_rounds(session, election_id=current_election_id(session)))


@bp.route("/knock/<token>", methods=["GET", "POST"])
def knock_join(token: str):
    """Scanned from a sheet: take the list. The token decides first (a bad one is a 404 for
    everyone); then only people with an account (not a PIN) knock up."""
    walk_list_id = queries.list_from_token(current_app.config["SECRET_KEY"], token[:200])
    session = get_session()
    walk_list = session.get(WalkList, walk_list_id) if walk_list_id else None
    if walk_list is None or walk_list.knockup_round_id is None:
        raise NotFound("That QR code is not a knock-up list's. Ask the committee room for a current sheet.")
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    if not is_user(current_user):
        raise Forbidden("Sign in with your own account to take a knock-up list.")
    form = ButtonForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        write_transaction(session, lambda s: ops.join_list(s, walk_list_id=walk_list.id, user=user))
        return redirect(url_for("canvass.list_page", walk_list_id=walk_list.id))
    return render_template("pollingday/knock_join.html", walk_list=walk_list, form=form)
