"""The canvass pages run as ES modules from 'self' under the CSP: no window.Legwork globals, every
script of our own a module, the list and its map working, and colours coming from tokens.css."""
from __future__ import annotations

import pytest

from tests.browser.helpers import BLANK_PNG, TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser


def test_canvass_pages_are_modules_with_no_globals(live_server, browser_context, walk, app):
    user, walk_list, _ = walk
    tiles = app.config["MAPS"]["tile_url"].split("{", 1)[0] + "**"
    browser_context.route(tiles, lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
    page = browser_context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, user.email, lands_on="**/canvass/")
    for path, ready in ((f"/canvass/lists/{walk_list.id}", "#doors[data-ready='yes']"),
                        (f"/canvass/lists/{walk_list.id}/map", "#list-map[data-ready='yes']")):
        page.goto(live_server.url + path)
        page.wait_for_selector(ready, timeout=TIMEOUT_MS)
        assert page.evaluate("typeof window.Legwork") == "undefined"
        classic = page.evaluate("""() => [...document.scripts].filter(s => s.type !== 'module')
                                             .map(s => s.src).filter(src => !src.includes('/vendor/'))""")
        assert classic == []
    # The legend's dots and the map's markers read the same custom properties (tokens.css).
    todo = page.evaluate("""() => [getComputedStyle(document.querySelector('.dot.todo')).backgroundColor,
                                   getComputedStyle(document.documentElement).getPropertyValue('--status-todo').trim()]""")
    assert todo == ["rgb(119, 119, 119)", "#777777"]
    assert errors == []
