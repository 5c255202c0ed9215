"""The teller pages' service worker precaches TELLER_SHELL: every ES module those pages load or
import (transitively, across folders) must be there, or the page breaks with no signal."""
from __future__ import annotations


from app.canvass.views import STATIC
from app.pollingday.views_teller import TELLER_SHELL
from tests.support.modules import SCRIPT, imports_of

TEMPLATES = STATIC.parent / "templates"


def test_imports_across_folders_are_found():
    assert {"pollingday/teller-rules.js", "canvass/outbox.js", "canvass/sync-rules.js",
            "canvass/format.js"} <= imports_of("pollingday/teller.js")


def test_every_module_of_the_teller_pages_is_precached():
    # The pages under the worker's scope (/polling-day/teller): the station list and the screen,
    # with what they include; the committee room and lifts pages are not offline pages.
    pages = [TEMPLATES / "pollingday" / name for name in ("choose_station.html", "teller.html", "_sync.html")]
    pages.append(TEMPLATES / "base.html")
    scripts = {s for page in pages for s in SCRIPT.findall(page.read_text()) if not s.startswith("vendor/")}
    assert {"pollingday/teller.js", "canvass/signout.js"} <= scripts
    needed = set().union(*(imports_of(s) for s in scripts))
    assert needed - set(TELLER_SHELL) == set()
    assert all((STATIC / name).is_file() for name in TELLER_SHELL)
    assert "pollingday/teller.css" in TELLER_SHELL
