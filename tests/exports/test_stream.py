"""Streaming: the download is a generator that reads a page of rows at a time, each page in its own
short transaction, so a city's export holds one page in memory and no snapshot while it is sent."""
import csv
import io
import json
import types
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.config import settings
from app import exports
from app.exports import contacts, people
from app.models import AuditEntry, Household
from tests.support.canvass import done
from tests.support.exports import door


@pytest.fixture
def many(db, campaign):
    """Eleven more knocks, so pages of three make several pages."""
    homes = db.execute(sa.select(Household).order_by(Household.id)).scalars().all()
    for n in range(11):
        door(db, homes[n % len(homes)], "not_home", when=campaign.noon - timedelta(hours=3, minutes=n))
    done(db)
    return campaign


def _rows(chunks) -> list[list[str]]:
    text = b"".join(chunks).decode("utf-8-sig") if chunks and isinstance(chunks[0], bytes) else "".join(chunks)
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))


# contacts: 15 events (one door answered by two people: 16 rows), pages of 3 events; people: 4 in pages of 3
@pytest.mark.parametrize("kind, module, total, pages", [("contacts", contacts, 16, 5), ("people", people, 4, 2)])
def test_the_response_is_a_generator_of_one_chunk_per_page(client, auth, db, many, monkeypatch, kind, module, total,
                                                          pages):
    monkeypatch.setattr(module, "PAGE", 3)
    bodies = []
    real = exports.csv_stream
    monkeypatch.setattr(exports, "csv_stream", lambda *a: bodies.append(real(*a)) or bodies[-1])
    auth.login_as("organiser")
    response = client.get(f"/organiser/exports/{kind}.csv")
    assert response.status_code == 200 and response.is_streamed
    assert isinstance(bodies[0], types.GeneratorType)  # the body: not a list of rows, not one string
    chunks = list(response.response)
    rows = _rows(chunks)[1:]
    assert len(rows) == total
    # the header, then one chunk per page: never more than a page's rows at a time
    assert len(chunks) == 1 + pages and _rows(chunks[:1]) == [_rows(chunks)[0]]
    assert all(0 < len(_rows([c])) <= 3 * 2 for c in chunks[1:])  # 3 events, at most 2 answers each
    done(db)
    [entry] = db.execute(sa.select(AuditEntry).where(AuditEntry.action == f"export.{kind}")).scalars().all()
    assert json.loads(entry.detail)["rows"] == total


def test_no_transaction_is_held_between_pages_and_later_rows_stay_out(app, client, auth, db, many, monkeypatch):
    """While the download is half sent, a volunteer's write goes through; the export began before
    it, so it holds exactly the rows the audit entry counted."""
    monkeypatch.setattr(contacts, "PAGE", 3)
    sessions = []
    real = contacts.contact_pages

    def watched(session, **kw):
        sessions.append(session)
        yield from real(session, **kw)

    monkeypatch.setattr("app.organiser.views_exports.KINDS", {
        "contacts": (contacts.contact_columns, contacts.contact_count, watched, "contact_events")})
    auth.login_as("organiser")
    body = client.get("/organiser/exports/contacts.csv").response
    sent = [next(body), next(body)]
    assert not sessions[0].in_transaction()  # the page was read and its transaction ended
    home = db.execute(sa.select(Household).order_by(Household.id)).scalars().first()
    late = door(db, home, "not_home", when=many.noon - timedelta(hours=4))  # oldest of all, once received
    sent += list(body)
    rows = _rows(sent)[1:]
    assert late not in {r[-6] for r in rows} and len(rows) == 16
    done(db)
    [entry] = db.execute(sa.select(AuditEntry).where(AuditEntry.action == "export.contacts")).scalars().all()
    assert json.loads(entry.detail)["rows"] == 16


def test_a_download_dropped_half_way_closes_its_session(app, db, many, monkeypatch):
    from app.db import engine_for
    from app.exports import ExportFilters, csv_stream
    from app.models import utcnow

    monkeypatch.setattr(contacts, "PAGE", 2)
    opened = []

    def pages(session):
        opened.append(session)
        return contacts.contact_pages(session, filters=ExportFilters(), settings=settings(), scope=None,
                                      as_of=utcnow())

    stream = csv_stream(engine_for(app), ["x"], pages)
    next(stream), next(stream)
    stream.close()  # what the server does when the client goes away
    assert not opened[0].in_transaction() and not opened[0].identity_map
