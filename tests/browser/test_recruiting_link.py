"""Find 10 more, in Chromium on phone-sized screens: a volunteer shares their link; a stranger
opens it on a fresh browser and signs up -> credited. The same device days later (the cookie)
and another device (the typed code) are credited too."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import quote

import pytest
from sqlmodel import select

from app.models import PostcodeCentroid, User, VolunteerProfile
from tests.browser.helpers import TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser


def recruiter_of(db, email: str):
    db.rollback()  # a fresh snapshot
    user = db.exec(select(User).where(User.email == email)).one()
    return db.get(VolunteerProfile, user.id).recruited_by_id


def sign_up(page, smtp, *, name: str, email: str) -> None:
    page.fill("#name", name)
    page.fill("#email", email)
    page.fill("#postcode", "SW1A 1AA")
    page.check("#consent")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=Check your email", timeout=TIMEOUT_MS)
    [message] = smtp.to(email)
    page.goto(next(u for u in smtp.links(message) if "/get-involved/confirm/" in u))
    page.wait_for_url("**/me", timeout=TIMEOUT_MS)


def test_share_link_then_sign_up_is_credited(live_server, browser_context, _playwright_browser, db, smtp,
                                             make_ward, make_team, make_user):
    make_team(wards=[make_ward()], name="Central team")
    db.add(PostcodeCentroid(postcode="SW1A 1AA", lat=42.37, lon=-71.11))
    asha = make_user(roles="volunteer", name="Asha Recruiter", email="asha@example.org")
    db.add(VolunteerProfile(user_id=asha.id, postcode="SW1A 1AA"))
    db.commit()
    fresh = []

    def new_phone():
        context = _playwright_browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                                  has_touch=True)
        fresh.append(context)
        return context.new_page()

    try:
        # Asha's phone: her link, code and share buttons.
        mine = browser_context.new_page()
        sign_in(mine, live_server.url, asha.email)
        mine.goto(live_server.url + "/me")
        mine.click("text=Find 10 more")
        mine.wait_for_selector("#my-link", timeout=TIMEOUT_MS)
        link, code = mine.input_value("#my-link"), mine.inner_text("#my-code")
        assert link.startswith(live_server.url + "/get-involved?r=")
        assert quote(link, safe="") in mine.get_attribute("a:has-text('WhatsApp')", "href")
        assert mine.locator(".qr svg").is_visible()
        assert mine.evaluate("document.documentElement.scrollWidth") <= 360  # fits the phone

        # A friend opens the link on their own phone and signs up: Asha is credited.
        robin = new_phone()
        robin.goto(link)
        robin.wait_for_selector("#invited-by", timeout=TIMEOUT_MS)
        assert "Asha invited you" in robin.inner_text("#invited-by")
        robin.fill("#postcode", "SW1A 1AA")
        robin.click("#where-form button[type=submit]")
        robin.click("text=Sign up to volunteer")
        assert "Invited by Asha" in robin.inner_text("#invited-by")
        sign_up(robin, smtp, name="Robin Newcomer", email="robin@example.org")
        assert recruiter_of(db, "robin@example.org") == asha.id

        # Days later on the same phone: the link is long closed, the cookie still credits Asha.
        sam = new_phone()
        sam.goto(link)
        sam.wait_for_selector("#invited-by", timeout=TIMEOUT_MS)
        [cookie] = [c for c in sam.context.cookies() if c["name"] == "legwork_invite"]
        days = (datetime.fromtimestamp(cookie["expires"], timezone.utc) - datetime.now(timezone.utc)).days
        assert days >= 89 and cookie["httpOnly"]
        sam.goto(live_server.url + "/get-involved/sign-up")  # no ?r= any more
        assert "Invited by Asha" in sam.inner_text("#invited-by")
        sign_up(sam, smtp, name="Sam Later", email="sam@example.org")
        assert recruiter_of(db, "sam@example.org") == asha.id

        # Another device, no link: the code typed from Asha's message credits her.
        kai = new_phone()
        kai.goto(live_server.url + "/get-involved/sign-up")
        assert kai.locator("#invited-by").count() == 0
        kai.fill("#invite_code", code.lower())
        sign_up(kai, smtp, name="Kai Typed", email="kai@example.org")
        assert recruiter_of(db, "kai@example.org") == asha.id

        # Asha's "My 10": three recruits, first name and initial only.
        mine.reload()
        recruits = mine.inner_text("#recruits")
        assert "3 of 10 joined through you" in recruits
        assert "Robin N." in recruits and "Newcomer" not in recruits and "robin@example.org" not in recruits
    finally:
        for context in fresh:
            context.close()
