"""The service worker precaches SHELL_FILES: every ES module a canvass page loads or imports must be
there, or that page breaks offline (a module's import that misses the cache fails the whole page)."""
from __future__ import annotations


from app.canvass.views import MAP_FILES, SHELL_FILES, STATIC
from tests.support.modules import SCRIPT, imports_of

TEMPLATES = STATIC.parent / "templates" / "canvass"


def test_imports_are_found():
    assert {"canvass/list.js", "canvass/doors.js", "canvass/outbox.js", "canvass/sync-rules.js",
            "canvass/format.js"} <= imports_of("canvass/list.js")


def test_every_module_of_the_canvass_pages_is_precached():
    pages = sorted(TEMPLATES.glob("*.html")) + [STATIC.parent / "templates" / "base.html"]
    scripts = {s for page in pages for s in SCRIPT.findall(page.read_text()) if not s.startswith("vendor/")}
    assert "canvass/list.js" in scripts and "canvass/signout.js" in scripts
    needed = set().union(*(imports_of(s) for s in scripts)) - {"canvass/join.js"}  # join: before any list is kept
    assert needed - set(SHELL_FILES + MAP_FILES) == set()
    assert all((STATIC / name).is_file() for name in SHELL_FILES + MAP_FILES)


def test_the_list_page_has_every_map_file_kept(client, field):
    """The map opened first with no signal needs each of its files kept from the list page (its
    spread.js once was not: the map then never drew)."""
    import re

    page = client.get(f"/canvass/lists/{field.mine.id}").get_data(as_text=True)
    assets = set(re.search(r'data-assets="([^"]*)"', page).group(1).split())
    assert {f"/static/{name}" for name in MAP_FILES} <= assets
