"""What a page's ES modules import, for the tests that check a service worker precaches it all."""
from __future__ import annotations

import posixpath
import re

from app.canvass.views import STATIC

IMPORT = re.compile(r"""(?:^|\n)\s*import\s[^;]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)""")
SCRIPT = re.compile(r"""<script[^>]*filename='([^']+\.js)'""")


def imports_of(name: str, seen: set[str] | None = None) -> set[str]:
    """name and every module it imports, transitively (static and dynamic imports, across folders)."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    for static, dynamic in IMPORT.findall((STATIC / name).read_text()):
        imports_of(posixpath.normpath(posixpath.join(posixpath.dirname(name), static or dynamic)), seen)
    return seen
