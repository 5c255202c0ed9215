"""How volunteers see each other's names: a first name, or a first name and an initial."""
from __future__ import annotations


def first_name(name: str | None) -> str:
    parts = (name or "").split()
    return parts[0] if parts else "A volunteer"


def short_name(name: str | None) -> str:
    """A volunteer sees their recruits (and, if the campaign wants one, the week's top ten) as
    "Robin N.": a first name and an initial, no more."""
    parts = (name or "").split()
    if not parts:
        return "A new volunteer"
    return parts[0] + (f" {parts[-1][0].upper()}." if len(parts) > 1 else "")
