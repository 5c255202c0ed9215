"""What the browser tests share: signing in through the real form."""
from __future__ import annotations

from tests.conftest import PASSWORD


def sign_in(page, base_url: str, email: str, *, lands_on: str | None = None) -> None:
    """Sign in through /login; wait for the page the role lands on (a URL glob), or for quiet."""
    page.goto(base_url + "/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if lands_on:
        page.wait_for_url(lands_on)
    else:
        page.wait_for_load_state("networkidle")
