"""Real Chromium: revoking a PIN and deactivating a volunteer ask first; "Cancel" changes nothing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import ListPin, User
from tests.browser.helpers import TIMEOUT_MS, sign_in
from tests.support.canvass import done

pytestmark = pytest.mark.browser


def _answer(page, accept: bool, seen: list) -> None:
    def handle(dialog):
        seen.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()
    page.once("dialog", handle)


def test_revoke_and_deactivate_ask_before_they_act(live_server, browser_context, db, walk, make_user):
    volunteer, walk_list, _ = walk
    db.add(ListPin(walk_list_id=walk_list.id, pin_hash="x", label="Pat's PIN"))
    done(db)
    organiser = make_user(roles="organiser")
    page = browser_context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    sign_in(page, live_server.url, organiser.email)
    seen: list[str] = []

    page.goto(f"{live_server.url}/organiser/lists/{walk_list.id}")
    _answer(page, False, seen)
    page.get_by_role("button", name="revoke").click()
    page.wait_for_load_state("networkidle")
    assert "Revoke Pat's PIN?" in seen[-1]
    done(db)
    assert db.exec(sa.select(ListPin.revoked_at)).scalar_one() is None  # cancelled: still valid
    _answer(page, True, seen)
    with page.expect_navigation():
        page.get_by_role("button", name="revoke").click()
    done(db)
    assert db.exec(sa.select(ListPin.revoked_at)).scalar_one() is not None

    page.goto(f"{live_server.url}/organiser/volunteers")
    row = page.locator("tr", has_text=volunteer.email)
    _answer(page, False, seen)
    row.get_by_role("button", name="Deactivate").click()
    page.wait_for_load_state("networkidle")
    assert seen[-1].startswith("Deactivate ") and "signed out everywhere" in seen[-1]
    done(db)
    assert db.exec(sa.select(User.is_active).where(User.id == volunteer.id)).scalar_one() is True
    _answer(page, True, seen)
    with page.expect_navigation():
        row.get_by_role("button", name="Deactivate").click()
    done(db)
    assert db.exec(sa.select(User.is_active).where(User.id == volunteer.id)).scalar_one() is False
