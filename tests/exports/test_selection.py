"""``people``: a SELECT of person ids (a universe's, once universes exist) narrows either export to
those people, and the count the audit records stays the count of rows."""
from datetime import timedelta

import sqlalchemy as sa

from app.config import settings
from app.exports import ExportFilters, contact_count, contact_pages, people_count, people_pages
from app.models import Person, utcnow


def _all(pages) -> list[list]:
    return [row for page in pages for row in page]


def _query(**kw):
    return dict(filters=kw.pop("filters", ExportFilters()), settings=settings(), scope=None,
                as_of=kw.pop("as_of", None) or utcnow() + timedelta(seconds=1), **kw)


def test_contacts_of_the_chosen_people_and_unanswered_knocks_at_their_doors(db, campaign):
    chosen = sa.select(Person.id).where(Person.first_name.in_(["Ada", "Cal"]))
    rows = _all(contact_pages(db, **_query(people=chosen)))
    ids = campaign.ids
    # Ada's answer (not Abe's, at the same door), the knock nobody answered at her door, Cal's call
    assert [(r[-6], r[8]) for r in rows] == [(ids["a_old"], ""), (ids["a_spoke"], "Ada"), (ids["c_call"], "Cal")]
    assert contact_count(db, **_query(people=chosen)) == 3
    assert contact_count(db, **_query()) == 5


def test_people_of_the_selection_only(db, campaign):
    chosen = sa.select(Person.id).where(Person.last_name == "Example", Person.first_name != "Bea")
    rows = _all(people_pages(db, **_query(people=chosen, page_size=1)))
    assert [r[0] for r in rows] == ["Ada", "Abe", "Cal"]
    assert people_count(db, **_query(people=chosen)) == 3
    # with a contact filter as well: only the chosen who had such a contact
    phone = ExportFilters(channel="phone")
    assert [r[0] for r in _all(people_pages(db, **_query(people=chosen, filters=phone)))] == ["Cal"]
    assert people_count(db, **_query(people=chosen, filters=phone)) == 1


def test_an_empty_selection_exports_nothing(db, campaign):
    nobody = sa.select(Person.id).where(sa.false())
    assert _all(contact_pages(db, **_query(people=nobody))) == []
    assert _all(people_pages(db, **_query(people=nobody))) == []
    assert contact_count(db, **_query(people=nobody)) == people_count(db, **_query(people=nobody)) == 0


def test_rows_received_after_the_export_began_are_left_out(db, campaign):
    before = utcnow() - timedelta(days=365)
    assert _all(contact_pages(db, **_query(as_of=before))) == [] and contact_count(db, **_query(as_of=before)) == 0
