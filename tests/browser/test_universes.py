"""An organiser builds a universe in real Chromium: the count follows each change (the page's
script posts the tree it reads from the form), conditions and groups are added and removed in
place, and the saved universe is the one shown."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.models import Universe
from app.universes import tree as trees
from app.universes.queries import count
from tests.browser.helpers import TIMEOUT_MS, sign_in
from tests.support.canvass import done

pytestmark = pytest.mark.browser
LOW_CONTRAST = (Path(__file__).parent / "contrast.js").read_text()  # -> ["TAG 'text' ratio colour", ...]


def _says(counted) -> str:
    people = f"{counted.people} {'person' if counted.people == 1 else 'people'}"
    return f"{people} · {counted.households} {'household' if counted.households == 1 else 'households'}"


def test_build_count_and_save_a_universe(live_server, browser_context, app, db, make_user, make_ward, make_household):
    north, south = make_ward("N1", "North"), make_ward("S1", "South", bounds=(-71.09, 42.36, -71.07, 42.38))
    for ward, people in ((north, 2), (north, 3), (south, 1), (south, 2)):
        make_household(ward, people=people)
    organiser = make_user(roles="organiser")
    done(db)
    with app.app_context():
        from app.config import settings

        conf = settings()

    def expected(tree):
        result = count(db, tree=trees.parse(tree, settings=conf), settings=conf)
        db.rollback()
        return _says(result)

    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, organiser.email)
    page.goto(f"{live_server.url}/organiser/universes/new")
    out = page.locator("#universe-count")
    expect(out).to_have_text(expected({"kind": "and", "of": []}))

    page.get_by_role("button", name="Add condition").click()  # in place: no page load
    page.locator("select[name='0.0:kind']").select_option("has_phone")
    expect(out).to_have_text(expected({"kind": "has_phone"}))

    page.get_by_role("button", name="Add group").first.click()
    group = page.locator("fieldset.u-group[data-path='0.1']")
    group.locator("select[name='0.1:kind']").select_option("or")
    group.get_by_role("button", name="Add condition").click()
    group.locator("select[name='0.1.0:kind']").select_option("ward")
    group.locator("select[name='0.1.0:ids']").select_option(label="South")
    tree = {"kind": "and", "of": [{"kind": "has_phone"}, {"kind": "or", "of": [{"kind": "ward", "ids": [south.id]}]}]}
    expect(out).to_have_text(expected(tree))
    expect(group.locator(".u-number").first).to_have_text("2")

    group.locator("input[name='0.1.0:not']").check()  # Not South
    tree["of"][1]["of"][0] = {"kind": "not", "of": tree["of"][1]["of"][0]}
    expect(out).to_have_text(expected(tree))

    page.locator("fieldset[data-path='0.0']").get_by_role("button", name="Remove").click()
    tree["of"].pop(0)
    expect(out).to_have_text(expected(tree))
    expect(group.locator(".u-number").first).to_have_text("1")

    page.fill("#name", "Not South")
    with page.expect_navigation():
        page.get_by_role("button", name="Save universe").click()
    expect(page.locator(".flash.success")).to_contain_text("Saved the universe Not South.")
    done(db)
    saved = db.execute(sa.select(Universe)).scalar_one()
    assert json.loads(saved.definition) == trees.parse(tree, settings=conf)
    expect(page.locator("select[name='0.0.0:ids'] option[selected]")).to_have_text("South")
    assert page.evaluate(LOW_CONTRAST) == []
    page.goto(f"{live_server.url}/organiser/universes")
    expect(page.locator("#universes [data-count-url]")).to_have_text(expected(tree))  # counted by the script
    assert page.evaluate(LOW_CONTRAST) == []
    assert errors == []


@pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)
def test_past_the_threshold_a_ward_is_searched_and_ticked(live_server, browser_context, app, db, make_user,
                                                          make_ward, make_household):
    north, south = make_ward("N1", "North"), make_ward("S1", "South", bounds=(-71.09, 42.36, -71.07, 42.38))
    for ward, people in ((north, 2), (south, 3)):
        make_household(ward, people=people)
    organiser = make_user(roles="organiser")
    done(db)
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, organiser.email)
    page.goto(f"{live_server.url}/organiser/universes/new")
    out = page.locator("#universe-count")
    expect(out).to_have_text("5 people · 2 households")
    page.get_by_role("button", name="Add condition").click()
    page.locator("select[name='0.0:kind']").select_option("ward")  # a row added in place: its search too
    search = page.get_by_role("combobox", name="Add a ward")
    search.fill("sou")
    page.get_by_role("option", name="South").click()
    expect(page.get_by_role("checkbox", name="South")).to_be_checked()
    expect(search).to_have_value("")  # empty for the next one
    expect(out).to_have_text("3 people · 1 household")
    search.fill("nor")
    expect(page.get_by_role("option", name="North")).to_be_visible()
    search.press("ArrowDown")
    search.press("Enter")
    expect(page.get_by_role("checkbox", name="North")).to_be_checked()
    expect(out).to_have_text("5 people · 2 households")
    page.get_by_role("checkbox", name="South").uncheck()
    expect(out).to_have_text("2 people · 1 household")
    page.fill("#name", "North only")
    with page.expect_navigation():
        page.get_by_role("button", name="Save universe").click()
    saved = db.execute(sa.select(Universe.definition)).scalar_one()
    db.rollback()
    with app.app_context():
        from app.config import settings

        north_only = trees.parse({"kind": "and", "of": [{"kind": "ward", "ids": [north.id]}]}, settings=settings())
    assert json.loads(saved) == north_only and not errors


@pytest.mark.parametrize("app", [{"COUNT_ON_PAGE_MAX": 0}], indirect=True)
def test_a_large_campaigns_builder_is_counted_by_the_page(live_server, browser_context, app, db, make_user, make_ward,
                                                         make_household):
    """The builder of a campaign past COUNT_ON_PAGE_MAX people comes uncounted; its script counts at once."""
    make_household(make_ward("N1", "North"), people=3)
    organiser = make_user(roles="organiser")
    done(db)
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server.url, organiser.email)
    page.goto(f"{live_server.url}/organiser/universes/new")
    expect(page.locator("#universe-count")).to_have_text(_says(type("C", (), {"people": 3, "households": 1})))
