"""The CSV exports: contacts and people, for organisers and (inside their areas) team leads.
Each download is audited (who, filters, row count) before its first row is sent, then streamed."""
from __future__ import annotations

from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Response, redirect, request, url_for
from flask_login import current_user

from .. import exports
from ..audit import audit
from ..auth.access import area_scope
from ..auth.decorators import lead_or_organiser_required
from ..config import settings
from ..db import engine_for, get_session, write_transaction
from ..maps.localtime import local_time
from ..exports.filters import PICKED
from ..models import utcnow
from ..params import int_arg
from ..universes import universe_people
from ..exports.answers import question_columns
from .blueprint import bp

KINDS = {  # kind -> (columns, count, pages, what the audit entry names as read)
    "contacts": (exports.contact_columns, exports.contact_count, exports.contact_pages, "contact_events"),
    "people": (exports.people_columns, exports.people_count, exports.people_pages, "people"),
}


@bp.get("/exports/contacts.csv")
@lead_or_organiser_required
def export_contacts():
    """One row per contact event and person: who, where, when, what they said, flags and notes."""
    return _export("contacts")


@bp.get("/exports/people.csv")
@lead_or_organiser_required
def export_people():
    """One row per person: latest support, issues, flags, last contact."""
    return _export("people")


@bp.get("/dashboard/export.csv")
@lead_or_organiser_required
def export_outcomes():
    """The contacts export's old address (bookmarks, scripts): the same filters, passed on."""
    query = urlencode(list(request.args.items(multi=True)))
    return redirect(url_for(".export_contacts") + (f"?{query}" if query else ""))


def _chosen_people(session, *, settings, scope) -> tuple[sa.Select | None, int | None]:
    """The people an export is limited to (None: everyone the filters allow), and the universe's id:
    ``universe`` in the query string, a saved universe (a clear 422 when it is not a whole number,
    404 when there is none), counted inside a team lead's areas."""
    universe_id = int_arg(request.args, "universe", "Universe", hint=PICKED)
    if universe_id is None:
        return None, None
    return universe_people(session, universe_id=universe_id, settings=settings, scope=scope), universe_id


def _export(kind: str):
    columns, count, pages, target = KINDS[kind]
    session, conf = get_session(), settings()
    scope = area_scope(session, principal=current_user)
    filters = exports.parse_filters(request.args, session=session, settings=conf, scope=scope)
    as_of = utcnow()  # rows received later are left out, so the audited count is what is sent
    people, universe_id = _chosen_people(session, settings=conf, scope=scope)
    query = dict(filters=filters, settings=conf, scope=scope, as_of=as_of, people=people)
    rows = count(session, **query)
    user_id, email = current_user.id, current_user.email
    write_transaction(session, lambda s: audit(s, action=f"export.{kind}", actor_user_id=user_id, actor_label=email,
                                               target=target, detail={"filters": filters.as_dict(), "rows": rows,
                                                                               **({"universe": universe_id} if universe_id else {})}))
    stamp = local_time(as_of, conf.timezone, "%Y%m%d-%H%M")  # the campaign's clock, not the server's
    header = columns(conf) + [h for _, _, h in question_columns(session, as_of=as_of)]  # the survey's own questions
    body = exports.csv_stream(engine_for(), header, lambda s: pages(s, **query))
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{kind}-{stamp}.csv"',
        "Cache-Control": "private, no-store",
    })
