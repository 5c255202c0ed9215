"""The do-not-contact ledger, for organisers: who asked not to be contacted, when, how and by whom.

Read-only: entries are written only by app.contacts.record_contacts (a door or phone outcome),
so every one of them has its contact event behind it.
"""
from __future__ import annotations

from flask import render_template, request
from sqlalchemy.orm import aliased
from sqlmodel import func, select

from ..auth.decorators import roles_required
from ..config import settings
from ..db import get_session
from ..models import Channel, ContactEvent, DoNotContact, Household, ListPin, Person, User
from ..params import MAX_ID, int_arg
from .blueprint import bp

PAGE_SIZE = 100


@bp.get("/do-not-contact")
@roles_required("organiser")
def ledger():
    session, conf = get_session(), settings()
    page = int_arg(request.args, "page", "Page", default=1, maximum=MAX_ID // PAGE_SIZE)
    total = session.exec(select(func.count()).select_from(DoNotContact)).one()
    pin = aliased(ListPin)
    rows = session.exec(
        select(DoNotContact, Household, Person, User.email, ContactEvent, pin.label)
        .join(Household, Household.id == DoNotContact.household_id, isouter=True)
        .join(Person, Person.id == DoNotContact.person_id, isouter=True)
        .join(User, User.id == DoNotContact.created_by_id, isouter=True)
        .join(ContactEvent, ContactEvent.id == DoNotContact.source_event_id, isouter=True)
        .join(pin, pin.id == ContactEvent.actor_pin_id, isouter=True)
        .order_by(DoNotContact.created_at.desc(), DoNotContact.id.desc())
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    codes = {channel: conf.codes(channel) for channel in Channel}
    return render_template("organiser/ledger.html", rows=rows, total=total, page=page, page_size=PAGE_SIZE,
                           codes=codes)
