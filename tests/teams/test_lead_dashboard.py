"""A team lead's dashboard and export count only activity at households in their areas."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.auth.access import area_scope
from app.config import settings
from app.models import Household
from app.organiser.dashboard import build_dashboard
from tests.support.canvass import done
from tests.support.maps import record


@pytest.fixture
def activity(db, patch, make_user, noon):
    """Knocks at both neighbourhoods of the lead's ward, and a knock and a call in the other ward."""
    east, west = patch.hoods
    homes = {w.id: db.exec(sa.select(Household).where(Household.ward_id == w.id).order_by(Household.id)).scalars().all()
             for w in (patch.ward, patch.other_ward)}
    at_east = next(h for h in homes[patch.ward.id] if h.neighbourhood_id == east.id)
    at_west = next(h for h in homes[patch.ward.id] if h.neighbourhood_id == west.id)
    ann, zed = make_user(roles="canvasser", name="Ann"), make_user(roles="canvasser caller", name="Zed")
    when = noon - timedelta(minutes=30)
    record(db, at_east, "spoke", user=ann, when=when)
    record(db, at_west, "not_home", user=ann, when=when)
    record(db, homes[patch.other_ward.id][0], "spoke", user=zed, when=when)
    record(db, homes[patch.other_ward.id][1], "spoke", channel="phone", user=zed, when=when)
    done(db)
    return at_east, at_west


def test_the_lead_sees_their_areas_figures_only(db, patch, activity, noon, make_user, make_team):
    everything = build_dashboard(db, settings=settings(), period="today", now=noon)
    assert (everything.total.knocks, everything.total.calls) == (3, 1)
    mine = build_dashboard(db, settings=settings(), period="today", now=noon, scope=area_scope(db, principal=patch.lead))
    assert (mine.total.knocks, mine.total.calls, mine.total.hour_knocks) == (2, 0, 2)
    assert [r.key for r in mine.wards] == [patch.ward.id]
    assert {r.key for r in mine.neighbourhoods} == {h.id for h in patch.hoods}
    assert [r.label for r in mine.volunteers] == ["Ann"]
    assert sum(t.knocks for _, t in mine.days) == 2 and sum(k + c for _, k, c in mine.hours) == 2
    assert mine.city.households == 12  # coverage of their ward's households only (24 in all)
    # A lead of one neighbourhood: its knock, no whole-ward row.
    east, _ = patch.hoods
    small = make_user(roles="volunteer")
    make_team(neighbourhoods=[east], leads=[small])
    theirs = build_dashboard(db, settings=settings(), period="all", now=noon, scope=area_scope(db, principal=small))
    assert theirs.total.knocks == 1 and theirs.wards == [] and [r.key for r in theirs.neighbourhoods] == [east.id]


def test_the_dashboard_page_and_export_for_a_lead(client, auth, db, patch, activity):
    auth.login(patch.lead.email)
    page = client.get("/organiser/dashboard?period=all")
    assert page.status_code == 200 and 'id="scoped"' in page.get_data(as_text=True)
    assert patch.other_ward.name not in page.get_data(as_text=True)
    for kind in ("contacts", "people"):
        export = client.get(f"/organiser/exports/{kind}.csv")
        rows = list(csv.DictReader(io.StringIO(export.get_data().decode("utf-8-sig"))))
        households = {int(r["Household ID"]) for r in rows}
        assert export.status_code == 200 and rows
        # contacts: the two knocks in their ward; people: everyone who lives in it
        assert households == {h.id for h in activity} if kind == "contacts" else households == set(
            db.execute(sa.select(Household.id).where(Household.ward_id == patch.ward.id)).scalars())
        assert client.get(f"/organiser/exports/{kind}.csv?ward={patch.other_ward.id}").status_code == 403
