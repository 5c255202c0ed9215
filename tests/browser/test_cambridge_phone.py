"""One thumb, one screen on real geography: a Cambridge precinct cut into walk lists as an organiser
would, and the list with the most doors sharing a spot (the flats of a building share the
building's point) opened on a 360x780 phone with no map tiles: every door is a dot of its own that a
thumb can tap, and the list page stays short."""
from __future__ import annotations

import csv
from collections import Counter

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.imports.mapping import MAPPINGS_DIR
from app.models import Household, Neighbourhood, WalkListDoor
from app import walk_lists as ops
from tests.browser.test_list_map import UNCOVERED, _map
from tests.support.canvass import done

pytestmark = [pytest.mark.browser, pytest.mark.shared_data]
PRECINCT = "9-3"


def _invoke(runner, *args):
    result = runner.invoke(args=[str(a) for a in args])
    assert result.exit_code == 0, result.output


def test_a_cambridge_list_on_a_phone_every_door_its_own_dot(live_server, _playwright_browser, runner, db, shared_data,
                                                             tmp_path, make_user):
    data = shared_data / "cambridge-ma"
    _invoke(runner, "import-boundaries", data / "wards.geojson", "--level", "ward", "--name-field", "Ward",
            "--code-field", "Ward")
    _invoke(runner, "import-boundaries", data / "wards_precincts.geojson", "--level", "neighbourhood",
            "--name-field", "WardPrecinct", "--code-field", "WardPrecinct", "--parent-field", "Ward")
    with open(data / "addresses.csv", newline="", encoding="utf-8") as source:
        reader = csv.DictReader(source)
        rows = [row for row in reader if row["precinct"] == PRECINCT]
        fields = reader.fieldnames
    subset = tmp_path / "precinct.csv"
    with open(subset, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    _invoke(runner, "import-addresses", subset, "--mapping", MAPPINGS_DIR / "cambridge.toml")
    hood = db.execute(sa.select(Neighbourhood).where(Neighbourhood.code == PRECINCT)).scalar_one()
    proposal = ops.cut_area(db, neighbourhood_id=hood.id, target_size=60)
    saved = write_transaction(db, lambda s: ops.save_lists(s, proposal=proposal, created_by_id=None))
    canvasser = make_user(roles="canvasser")

    def crowding(walk_list_id: int) -> int:  # the most doors of the list at one point
        spots = db.execute(sa.select(Household.lon, Household.lat).join(
            WalkListDoor, WalkListDoor.household_id == Household.id).where(WalkListDoor.walk_list_id == walk_list_id)).all()
        return max(Counter(spots).values())

    walk_list = max(saved, key=lambda w: crowding(w.id))
    most = crowding(walk_list.id)
    write_transaction(db, lambda s: ops.assign(s, walk_list_id=walk_list.id, user_ids=[canvasser.id], assigned_by_id=None))
    done(db)
    assert most >= 4  # the point of the test: a building's doors at one spot

    context, page = _map(_playwright_browser, live_server, canvasser, walk_list, tiles="blocked", located=False)
    try:
        page.wait_for_selector("#list-map[data-tiles='none']")
        dots = page.evaluate(UNCOVERED)
        assert int(page.locator("#list-map").get_attribute("data-zoom")) >= 17  # street zoom
        assert len(dots) == walk_list.door_count and all(dots), f"{dots.count(False)} of {len(dots)} doors hidden"
        print(f"{walk_list.name}: {walk_list.door_count} doors, up to {most} at one spot, none hidden")
        page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
        page.wait_for_selector("#doors[data-ready='yes']")
        height = page.evaluate("document.documentElement.scrollHeight")
        print(f"list page: {height} px at 360x780")  # for the report (-s)
        assert height <= 90 * walk_list.door_count
    finally:
        context.close()
