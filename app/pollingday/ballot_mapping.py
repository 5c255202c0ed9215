"""Reading a US election office's ballot-status file (absentee / vote-by-mail / early vote): which
column holds the voter id, the status and its date, and what the office's words for a status
mean. No database here: a row in, (voter id, status, date) out, or the reason it is bad.

A mapping is TOML (``mappings/ballot_status/us_absentee.toml`` is the bundled one)::

    name = "..."
    date_formats = ["%m/%d/%Y", "%Y-%m-%d"]   # tried in order; default: these two
    [columns]
    voter_id = "Voter ID"
    status = "Ballot Status"
    status_date = ["Ballot Return Date", "Ballot Issued Date"]   # optional: the first non-blank
    [statuses]                                # optional: this office's own words
    "ISSUED TO VOTER" = "sent"

It lives in a folder of its own under mappings/: the address importer offers every mapping at
the top of mappings/ for addresses, and this one is not an address mapping.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from ..imports.mapping import MAPPINGS_DIR, MappingError, TomlMapping
from ..imports.rows import _CONTROL, BadRow
from ..params import EARLIEST_DATE, LATEST_DATE

BALLOT_MAPPING = MAPPINGS_DIR / "ballot_status" / "us_absentee.toml"
STATUSES = ("requested", "sent", "returned", "voted_early", "rejected")
OUT = ("requested", "sent")          # a ballot out and not back: the chase list
VOTED = ("returned", "voted_early")  # what record-early-votes turns into voting history
MAX_VOTER_ID = 64                    # people.external_id
DEFAULT_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d")

# Common spellings, compared as lower-case words (punctuation and "ballot" dropped, so "Ballot
# Returned", "RETURNED" and "returned-ballot" meet). Offices differ; [statuses] adds their words.
SPELLINGS = {
    "requested": ("requested", "request", "request received", "applied", "application received",
                  "application accepted", "application approved", "app received", "pending"),
    "sent": ("sent", "issued", "mailed", "sent to voter", "mailed to voter", "issued to voter", "emailed"),
    "returned": ("returned", "received", "accepted", "counted", "returned by mail", "received by mail",
                 "mail returned", "drop box", "dropbox"),
    "voted_early": ("voted early", "early voted", "early vote", "early voting", "early in person",
                    "in person early", "voted in person", "in person", "early", "one stop", "ev"),
    "rejected": ("rejected", "spoiled", "cancelled", "canceled", "void", "voided", "undeliverable",
                 "denied"),
}
_WORDS = re.compile(r"[a-z0-9]+")
TOP_LEVEL_KEYS = {"name", "description", "date_formats", "columns", "statuses"}
FIELDS = {"voter_id", "status", "status_date"}


def status_key(text: str) -> str:
    words = _WORDS.findall((text or "").casefold())
    if len(words) > 1 and words[0] == "ballot":
        words = words[1:]
    elif len(words) > 1 and words[-1] == "ballot":
        words = words[:-1]
    return " ".join(words)


KNOWN = {status_key(word): status for status, words in SPELLINGS.items() for word in words}


@dataclass(frozen=True)
class BallotMapping(TomlMapping):
    voter_id: str
    status: str
    status_date: tuple[str, ...] = ()
    date_formats: tuple[str, ...] = DEFAULT_DATE_FORMATS
    statuses: dict = field(default_factory=dict)   # status_key -> status, the office's own words
    name: str = ""
    source: str = field(default="", compare=False)

    def columns(self) -> list[str]:
        return list(dict.fromkeys([self.voter_id, self.status, *self.status_date]))

    def check_header(self, header: list[str]) -> None:
        missing = [c for c in self.columns() if c not in header]
        if missing:
            raise MappingError(f"the ballot-status file has no column {', '.join(repr(c) for c in missing)} "
                               f"(mapping {self.name or self.source!r}; its columns are "
                               f"{', '.join(h[:40] for h in header[:40])})")

    def normalise_status(self, raw: str) -> str:
        key = status_key(raw)
        if not key:
            raise BadRow(f"missing ballot status (column {self.status})")
        found = self.statuses.get(key) or KNOWN.get(key)
        if found is None and key.replace(" ", "_") in STATUSES:
            found = key.replace(" ", "_")
        if found is None:
            raise BadRow(f"unknown ballot status {' '.join(raw.split())[:40]!r} (known: {', '.join(STATUSES)} and "
                         "their usual spellings; add the office's word to the mapping's [statuses])")
        return found

    def parse_date(self, raw: str, column: str) -> date:
        text = raw.strip()
        # A time after the date ("10/21/2026 14:05:00", "2026-10-21T14:05") is common in exports:
        # the date is enough.
        head = text.split(" ")[0].split("T")[0]
        for candidate in dict.fromkeys((text, head)):
            for fmt in self.date_formats:
                try:
                    value = datetime.strptime(candidate, fmt).date()
                except ValueError:
                    continue
                if not EARLIEST_DATE <= value <= LATEST_DATE:
                    raise BadRow(f"{column} {text[:20]!r} is not between {EARLIEST_DATE} and {LATEST_DATE}")
                return value
        raise BadRow(f"{column} {text[:20]!r} is not a date ({' or '.join(self.date_formats)})")

    def read(self, row: list[str], index: dict[str, int]) -> tuple[str, str, date | None]:
        """(voter id, status, status date or None) from one padded row; BadRow says why not."""
        for column in self.columns():
            bad = _CONTROL.search(row[index[column]])
            if bad:
                raise BadRow(f"column {column!r} contains a control character (U+{ord(bad.group()):04X})")
        voter_id = row[index[self.voter_id]].strip()
        if not voter_id:
            raise BadRow(f"missing voter id (column {self.voter_id})")
        if len(voter_id) > MAX_VOTER_ID:
            raise BadRow(f"voter id is longer than {MAX_VOTER_ID} characters")
        status = self.normalise_status(row[index[self.status]])
        when = None
        for column in self.status_date:
            if row[index[column]].strip():
                when = self.parse_date(row[index[column]], column)
                break
        return voter_id, status, when

    @classmethod
    def from_dict(cls, data: dict, *, source: str = "") -> BallotMapping:
        where = f"mapping {source}" if source else "mapping"
        if not isinstance(data, dict) or set(data) - TOP_LEVEL_KEYS:
            raise MappingError(f"{where}: unknown key(s) {', '.join(sorted(set(data) - TOP_LEVEL_KEYS))}; "
                               f"allowed: {', '.join(sorted(TOP_LEVEL_KEYS))}")
        columns = data.get("columns")
        if not isinstance(columns, dict) or set(columns) - FIELDS:
            raise MappingError(f"{where}: needs a [columns] table with voter_id, status and optionally status_date")
        for name in ("voter_id", "status"):
            if not isinstance(columns.get(name), str) or not columns[name].strip():
                raise MappingError(f"{where}: [columns] {name} must be a column name")
        dates = columns.get("status_date", ())
        dates = (dates,) if isinstance(dates, str) else dates
        if not isinstance(dates, (list, tuple)) or not all(isinstance(c, str) and c.strip() for c in dates):
            raise MappingError(f"{where}: [columns] status_date must be a column name or a list of them")
        formats = data.get("date_formats", DEFAULT_DATE_FORMATS)
        if (not isinstance(formats, (list, tuple)) or not formats
                or not all(isinstance(f, str) and "%" in f for f in formats)):
            raise MappingError(f"{where}: date_formats must be a list of strptime formats such as \"%m/%d/%Y\"")
        words = data.get("statuses", {})
        if not isinstance(words, dict):
            raise MappingError(f"{where}: [statuses] must map the office's words to {', '.join(STATUSES)}")
        own = {}
        for word, status in words.items():
            if status not in STATUSES or not status_key(word):
                raise MappingError(f"{where}: [statuses] {word!r} = {status!r}: the value must be one of "
                                   f"{', '.join(STATUSES)}")
            own[status_key(word)] = status
        if not isinstance(data.get("name", ""), str):
            raise MappingError(f"{where}: name must be text")
        return cls(voter_id=columns["voter_id"], status=columns["status"], status_date=tuple(dates),
                   date_formats=tuple(formats), statuses=own, name=data.get("name") or "", source=source)

