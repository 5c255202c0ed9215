"""The colours of app/static/tokens.css, for the folium maps (their colours go into the page as JSON).

tokens.css is the one palette: CSS reads it as custom properties, the canvass map with
getComputedStyle, and the maps here through this parser, so all three show the same colours."""
from __future__ import annotations

import re
from functools import cache
from pathlib import Path

TOKENS_CSS = Path(__file__).resolve().parent.parent / "static" / "tokens.css"
_PROPERTY = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
_REFERENCE = re.compile(r"^var\((--[\w-]+)\)$")


def parse(text: str) -> dict[str, str]:
    """Custom properties of a CSS text, var(--x) references resolved ("--ok" -> "#137333")."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    raw = {name: value.strip() for name, value in _PROPERTY.findall(text)}

    def resolve(name: str, seen: tuple[str, ...] = ()) -> str:
        if name in seen or name not in raw:
            raise ValueError(f"tokens.css: {name} is undefined or refers to itself")
        match = _REFERENCE.match(raw[name])
        return resolve(match.group(1), seen + (name,)) if match else raw[name]

    return {name: resolve(name) for name in raw}


@cache
def tokens() -> dict[str, str]:
    return parse(TOKENS_CSS.read_text())


def colour(name: str) -> str:
    return tokens()[f"--{name}"]
