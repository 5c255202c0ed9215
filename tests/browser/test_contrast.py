"""Readable in sunlight: every visible piece of text on the field pages has a WCAG AA contrast
(4.5:1) against what is behind it. (The list page's "unassign" and "revoke" buttons were once
white on white.)"""
from __future__ import annotations

from pathlib import Path

import pytest

from app import walk_lists as ops
from tests.browser.helpers import TIMEOUT_MS, sign_in
from tests.support.canvass import done

pytestmark = pytest.mark.browser
LOW_CONTRAST = (Path(__file__).parent / "contrast.js").read_text()  # -> ["TAG 'text' ratio colour", ...]


def test_text_has_aa_contrast_on_field_pages(live_server, browser_context, db, make_ward, make_household,
                                             make_user, make_walk_list):
    ward = make_ward("W1", "Ward 1")
    homes = [make_household(ward, street="Elm St", house_number=str(n), people=1) for n in range(1, 5)]
    canvasser = make_user(roles="canvasser", name="Cass Canvasser")
    organiser = make_user(roles="organiser")
    walk_list = make_walk_list(homes, name="Ward 1 · 1", assign_to=canvasser, ward=ward)
    ops.create_pin(db, walk_list_id=walk_list.id, label="Sam at the door", created_by_id=organiser.id)
    done(db)

    page = browser_context.new_page()
    page.goto(live_server.url + "/login")
    assert page.evaluate(LOW_CONTRAST) == []
    sign_in(page, live_server.url, organiser.email)
    for path in ("/organiser/", "/organiser/lists", f"/organiser/lists/{walk_list.id}", "/organiser/volunteers",
                 "/organiser/dashboard"):
        page.goto(live_server.url + path)
        assert page.evaluate(LOW_CONTRAST) == [], path
    assert page.goto(f"{live_server.url}/organiser/lists/{walk_list.id}") and \
        page.get_by_role("button", name="unassign").is_visible() and page.get_by_role("button", name="revoke").is_visible()

    browser_context.clear_cookies()  # signed out: now the canvasser, on the same phone
    sign_in(page, live_server.url, canvasser.email)
    page.goto(f"{live_server.url}/canvass/lists/{walk_list.id}")
    page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
    page.locator(".record-btn").first.click()
    page.locator("label.code", has_text="Spoke").first.click()
    assert page.evaluate(LOW_CONTRAST) == []
