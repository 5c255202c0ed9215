"""Elector numbers: ``AB-123`` or ``AB-123/1`` (prefix: the polling district's code; the suffix
only when not 0). Tellers type them in a hurry, so case, spaces and the hyphen are forgiven
("ab 123", "AB123"); anything else is refused with the reason."""
from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PREFIX = 10
MAX_NUMBER = 999_999
MAX_SUFFIX = 999
MAX_TEXT = 40  # what a teller may send at all; the stored "as entered" column is this wide

# With a separator the prefix may hold digits ("E1-123", "1-2-45" for a US precinct); without
# one it is letters only, or "AB1123" could not be split.
_SEPARATED = re.compile(r"([A-Z0-9][A-Z0-9-]*?)\s*(?:-|\s)\s*(\d+)(?:\s*/\s*(\d+))?", re.ASCII)
_PREFIX = re.compile(r"[A-Z0-9]+(?:-[A-Z0-9]+)*", re.ASCII)
_BARE = re.compile(r"([A-Z]+)(\d+)(?:\s*/\s*(\d+))?", re.ASCII)


class BadNumber(ValueError):
    """Not an elector number; str(err) says why."""


@dataclass(frozen=True, order=True)
class ElectorNumber:
    prefix: str
    number: int
    suffix: int = 0

    def __str__(self) -> str:
        return f"{self.prefix}-{self.number}" + (f"/{self.suffix}" if self.suffix else "")


def parse_elector_number(raw) -> ElectorNumber:
    if not isinstance(raw, str):
        raise BadNumber("elector_number must be text such as \"AB-123\" or \"AB-123/1\"")
    if len(raw) > MAX_TEXT:
        raise BadNumber(f"elector_number is longer than {MAX_TEXT} characters")
    text = raw.strip().upper()
    match = _SEPARATED.fullmatch(text) or _BARE.fullmatch(text)
    if match is None:
        raise BadNumber(f"{raw.strip()[:MAX_TEXT]!r} is not an elector number (like AB-123 or AB-123/1)")
    prefix, number, suffix = match.group(1).strip("-"), int(match.group(2)), int(match.group(3) or 0)
    if not prefix or len(prefix) > MAX_PREFIX:
        raise BadNumber(f"the district letters of {text!r} must be 1 to {MAX_PREFIX} characters")
    if not 1 <= number <= MAX_NUMBER:
        raise BadNumber(f"the number of {text!r} must be between 1 and {MAX_NUMBER}")
    if suffix > MAX_SUFFIX:
        raise BadNumber(f"the suffix of {text!r} must be at most {MAX_SUFFIX}")
    return ElectorNumber(prefix, number, suffix)


def parse_parts(prefix: str, number: str, suffix: str) -> ElectorNumber:
    """From a register's three columns (the suffix may be blank)."""
    prefix = (prefix or "").strip().upper()
    if not prefix or len(prefix) > MAX_PREFIX or not _PREFIX.fullmatch(prefix):
        raise BadNumber(f"elector number prefix {prefix[:20]!r} must be 1 to {MAX_PREFIX} letters or digits")
    try:
        value = int((number or "").strip())
    except ValueError:
        raise BadNumber(f"elector number {number.strip()[:20]!r} is not a whole number") from None
    if not 1 <= value <= MAX_NUMBER:
        raise BadNumber(f"elector number {value} must be between 1 and {MAX_NUMBER}")
    try:
        tail = int((suffix or "").strip() or 0)
    except ValueError:
        raise BadNumber(f"elector number suffix {suffix.strip()[:20]!r} is not a whole number") from None
    if not 0 <= tail <= MAX_SUFFIX:
        raise BadNumber(f"elector number suffix {tail} must be between 0 and {MAX_SUFFIX}")
    return ElectorNumber(prefix, value, tail)


def postal_proxy(markers: str) -> tuple[bool, bool]:
    """(postal, proxy) from a register's markers: A is a postal voter, P a proxy."""
    letters = set((markers or "").upper())
    return "A" in letters, "P" in letters
