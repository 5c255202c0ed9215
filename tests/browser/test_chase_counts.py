"""A state-size ballot chase in Chromium: the page comes without the statewide table, its script
asks for the count, and the table appears with the time it was counted (app/pollingday/ballot_tally.py)."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.pollingday.chase import status_counts
from tests.browser.helpers import TIMEOUT_MS, sign_in
from tests.support.canvass import done
from tests.support.pollingday import chase, districts, us_voters  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser,
              pytest.mark.parametrize("app", [{"POLLINGDAY": {"ballot_tally_above": 2}}], indirect=True)]


def test_the_state_table_is_counted_after_the_page(live_server, browser_context, app, db, chase,  # noqa: F811
                                                   make_user):
    from app.config import settings

    with app.app_context():
        sent = status_counts(db, settings=settings())["sent"]
    done(db)
    staff = make_user(roles="committee")
    page = browser_context.new_page()
    sign_in(page, live_server.url, staff.email)
    page.goto(f"{live_server.url}/polling-day/chase")
    counts = page.locator("#counts")
    expect(counts.get_by_role("status")).to_contain_text("Counted at", timeout=TIMEOUT_MS)
    row = counts.get_by_role("row", name="Sent")
    expect(row).to_have_text(f"Sent{sent[0]}{sent[1]}")
    expect(page.locator("#chase-list")).to_contain_text("Choose a ward or neighbourhood")
