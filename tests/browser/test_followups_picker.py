"""The follow-ups page's area search in real Chromium, past the pickers' threshold: picked from
the search with JavaScript, typed and sent without it; both filter the queue to the area."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import TIMEOUT_MS, sign_in
from tests.followups.test_lead_scope import _follow_up
from tests.support.canvass import done

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)]


@pytest.fixture
def queue(db, make_user, make_ward, make_household):
    east = make_ward("E1", "East Ward")
    west = make_ward("W1", "West Ward", bounds=(-71.09, 42.36, -71.07, 42.38))
    _follow_up(db, make_household(east), "Poster for the east")
    _follow_up(db, make_household(west, lon=-71.08, lat=42.37), "Question from the west")
    organiser = make_user(roles="organiser")
    done(db)
    return organiser, west


def _rows(page):
    return page.locator("#follow-ups tbody")


def test_an_area_picked_from_the_search_filters_the_queue(live_server, browser_context, app, queue):
    organiser, west = queue
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, organiser.email)
    page.goto(f"{live_server.url}/organiser/follow-ups")
    search = page.get_by_role("combobox", name="Area")
    search.fill("west")
    page.get_by_role("option", name="West Ward (whole ward)").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Show").click()
    assert f"area=ward%3A{west.id}" in page.url  # the search's key was sent, not the text
    expect(_rows(page)).to_contain_text("Question from the west")
    expect(_rows(page)).not_to_contain_text("Poster for the east")
    expect(search).to_have_value("West Ward (whole ward)")
    assert errors == []


def test_without_javascript_a_typed_name_is_resolved_or_said(live_server, _playwright_browser, app, queue):
    organiser, _ = queue
    context = _playwright_browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        sign_in(page, live_server.url, organiser.email)
        page.goto(f"{live_server.url}/organiser/follow-ups")
        page.fill("#f-area", "west ward")
        with page.expect_navigation():
            page.click("#follow-up-filters button[type=submit]")
        expect(_rows(page)).to_contain_text("Question from the west")
        expect(_rows(page)).not_to_contain_text("Poster for the east")
        page.select_option("#f-status", "all")  # sent again with the label the box now shows
        with page.expect_navigation():
            page.click("#follow-up-filters button[type=submit]")
        expect(_rows(page)).not_to_contain_text("Poster for the east")
        page.fill("#f-area", "Atlantis")
        with page.expect_navigation() as sent:
            page.click("#follow-up-filters button[type=submit]")
        assert sent.value.status == 422
        expect(page.get_by_role("alert")).to_contain_text("No ward or neighbourhood is called “Atlantis”")
        expect(_rows(page)).to_contain_text("Poster for the east")
    finally:
        context.close()
