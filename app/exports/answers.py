"""The survey's answers as labelled columns. Today's questions are the support scale, the issues
and three flags (``[survey]`` in config.toml); when questions become editable, their columns come
from here too.

Issues are one column per configured issue ("Issue: Housing" = yes or blank), not one joined
cell: a spreadsheet user filters a column or COUNTIFs it, where "Housing; Transport" in one cell
needs a text search and miscounts "Housing" inside "Social housing". An issue recorded under an
older config (no longer listed) goes to "Other issues", so nothing said at a door is dropped.
"""
from __future__ import annotations

from ..config import Settings
from .cells import yes

FLAGS = (("volunteer_interest", "Would volunteer"), ("poster", "Poster"), ("postal_vote", "Postal vote"))


def support_label(settings: Settings, value: str | None) -> str:
    """The scale's label for a stored value ("2" -> "Lean support"); blank for a value no longer on it."""
    return dict(settings.support_scale).get(value, "") if value is not None else ""


def issue_headers(settings: Settings) -> list[str]:
    return [f"Issue: {issue}" for issue in settings.issues] + ["Other issues"]


def issue_cells(settings: Settings, raised: set[str] | list[str]) -> list[str]:
    known = set(settings.issues)
    other = [i for i in raised if i not in known]
    return [yes(issue in raised) for issue in settings.issues] + ["; ".join(sorted(other))]


def split_issues(stored: str | None) -> list[str]:
    """survey_responses.issues is "|"-joined labels."""
    return [i for i in (stored or "").split("|") if i]


FLAG_HEADERS = [label for _, label in FLAGS]
