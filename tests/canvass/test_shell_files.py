"""The service worker precaches SHELL_FILES: every ES module a canvass page loads or imports must be
there, or that page breaks offline (a module's import that misses the cache fails the whole page)."""
from __future__ import annotations

import re
from pathlib import Path

from app.canvass.views import MAP_FILES, SHELL_FILES, STATIC

TEMPLATES = STATIC.parent / "templates" / "canvass"
IMPORT = re.compile(r"""(?:^|\n)\s*import\s[^;]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)""")
SCRIPT = re.compile(r"""<script[^>]*filename='([^']+\.js)'""")


def imports_of(name: str, seen: set[str] | None = None) -> set[str]:
    """name and every module it imports, transitively (static and dynamic imports)."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    for static, dynamic in IMPORT.findall((STATIC / name).read_text()):
        imports_of((Path(name).parent / (static or dynamic)).as_posix().removeprefix("./"), seen)
    return seen


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
