"""Canvass near me on a phone: a volunteer uses their location, takes the offered self-serve
list, shares their walk, records doors with no signal, and they sync once it is back."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import ContactEvent, SelfServeCheckout, WalkListDoor, WalkPosition
from tests.browser.conftest import PHONE
from tests.browser.helpers import TIMEOUT_MS, lose_signal, record_door, regain_signal, sign_in
from tests.support.canvass import done
from tests.support.nearme import centre, make_patch

pytestmark = pytest.mark.browser


def test_a_self_serve_list_is_checked_out_worked_offline_and_synced(live_server, _playwright_browser, db, make_ward,
                                                                     make_team, make_user):
    patch = make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user, rows=2, cols=6)
    volunteer = patch.volunteers[0]
    done(db)
    lat, lon = centre(2, 6)
    context = _playwright_browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                              geolocation={"latitude": lat, "longitude": lon},
                                              permissions=["geolocation"])
    try:
        page = context.new_page()
        sign_in(page, live_server.url, volunteer.email)
        page.goto(f"{live_server.url}/nearme")
        page.fill("#minutes", "15")
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_selector("#take-form", timeout=TIMEOUT_MS)
        assert "Row 1 St" in page.locator(".streets").inner_text()
        page.get_by_role("button", name="Take it").click()
        page.wait_for_selector("#doors[data-ready='yes']", timeout=TIMEOUT_MS)
        page.wait_for_selector("html[data-offline-ready='yes']", timeout=TIMEOUT_MS)
        checkout = db.exec(sa.select(SelfServeCheckout)).scalars().one()
        done(db)
        assert checkout.user_id == volunteer.id
        doors = db.exec(sa.select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == checkout.walk_list_id)
                        .order_by(WalkListDoor.position)).scalars().all()
        done(db)

        page.get_by_role("button", name="Share my walk with my team lead").click()
        page.wait_for_selector("#share-status:has-text('Shared')", timeout=TIMEOUT_MS)
        assert db.exec(sa.select(sa.func.count()).select_from(WalkPosition)).scalar_one() == 1
        done(db)

        lose_signal(context, live_server)
        for hid in doors[:2]:
            record_door(page, hid, "Not home")
        page.wait_for_selector("#sync[data-pending='2']", timeout=TIMEOUT_MS)
        reloaded = page.reload()  # no signal: the worker serves the near-me list like any other
        assert reloaded.from_service_worker
        page.wait_for_selector("#sync[data-pending='2']", timeout=TIMEOUT_MS)
        assert db.exec(sa.select(sa.func.count()).select_from(ContactEvent)).scalar_one() == 0
        done(db)

        regain_signal(context, live_server)
        page.wait_for_selector("#sync[data-pending='0']", timeout=TIMEOUT_MS)
        events = db.exec(sa.select(ContactEvent.household_id, ContactEvent.walk_list_id)).all()
        done(db)
        assert sorted(events) == sorted((hid, checkout.walk_list_id) for hid in doors[:2])

        # the lead sees them out, with the doors they recorded
        lead = context.new_page()
        context.clear_cookies()
        sign_in(lead, live_server.url, patch.lead.email)
        lead.goto(f"{live_server.url}/nearme/teams/{patch.team.id}")
        row = lead.locator(f"#out-{volunteer.id}")
        assert "2 of" in row.inner_text() and "Sharing their walk" in row.inner_text()
    finally:
        context.close()
