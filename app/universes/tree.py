"""A universe's definition: a JSON tree of conditions on people, checked strictly.

Groups and negation::

    {"kind": "and", "of": [node, ...]}   every condition (an empty "and": everyone)
    {"kind": "or",  "of": [node, ...]}   any condition (an empty "or": no one)
    {"kind": "not", "of": node}

Conditions (a person is in when ...; "their household" conditions hold for every resident)::

    {"kind": "ward" | "neighbourhood" | "walk_list", "ids": [id, ...]}   their household is in one
    {"kind": "support", "levels": ["1", ...], "unknown": false}  their latest support answer is one of
        these levels (a value of [survey] support_scale), or (unknown) they have given none
    {"kind": "reached" | "attempted", "channel": "any" | "door" | "phone" | "relational", "from": null, "to": null}
        their household was reached (an event whose code is flagged contact) / attempted (any
        event) on that channel, between these campaign-local dates (inclusive; null: open)
    {"kind": "never_reached", "channel": "any"}  never reached on that channel
    {"kind": "not_home_last"}  their household's latest door knock reached nobody and closed nothing
    {"kind": "outcome", "channel": "door" | "phone", "codes": [...], "latest": false}  their
        household has an event with one of these codes (latest: its latest on that channel has)
    {"kind": "issue", "issues": [...]}  they named one of these issues in a survey answer
    {"kind": "flag", "flags": ["volunteer_interest" | "poster" | "postal_vote", ...]}  they said yes
    {"kind": "has_phone"}  they have a number that is not retired
    {"kind": "voted" | "did_not_vote", "election_id": id}  voting history (app.models.VotingHistory)

``parse`` returns the canonical tree (every key, ids sorted): what is stored. A bad tree is a
ValidationError naming the condition ("Condition 2.1") and where it is in the JSON ("/of/1/of/0").
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from ..config import Settings
from ..errors import ValidationError
from ..models import Channel
from ..params import EARLIEST_DATE, LATEST_DATE, MAX_ID

MAX_DEPTH = 8          # groups within groups: more is a made-up tree, not an organiser's
MAX_NODES = 100
MAX_IDS = 1000
MAX_JSON = 50_000      # characters of definition JSON
GROUPS = ("and", "or")
CHANNELS = ("any", Channel.DOOR.value, Channel.PHONE.value, Channel.RELATIONAL.value)
FLAGS = {"volunteer_interest": "wants to volunteer", "poster": "wants a poster", "postal_vote": "wants a postal vote"}
AREA_KINDS = {"ward": "ward", "neighbourhood": "neighbourhood", "walk_list": "walk list"}


@dataclass(frozen=True)
class Spec:
    label: str                   # what the builder's kind menu says
    required: frozenset[str]
    optional: dict               # key -> default


def _spec(label: str, required=(), **optional) -> Spec:
    return Spec(label, frozenset(required), optional)


SPECS: dict[str, Spec] = {
    "and": _spec("All of", ["of"]),
    "or": _spec("Any of", ["of"]),
    "not": _spec("Not", ["of"]),
    "ward": _spec("Ward", ["ids"]),
    "neighbourhood": _spec("Neighbourhood", ["ids"]),
    "walk_list": _spec("Walk list", ["ids"]),
    "support": _spec("Latest support", levels=(), unknown=False),
    "reached": _spec("Reached", channel="any", **{"from": None, "to": None}),
    "attempted": _spec("Attempted (door knocked or called)", channel="any", **{"from": None, "to": None}),
    "never_reached": _spec("Never reached", channel="any"),
    "not_home_last": _spec("Not home last time"),
    "outcome": _spec("Outcome", ["channel", "codes"], latest=False),
    "issue": _spec("Issue raised", ["issues"]),
    "flag": _spec("Said yes to", ["flags"]),
    "has_phone": _spec("Has a phone number"),
    "voted": _spec("Voted in", ["election_id"]),
    "did_not_vote": _spec("Did not vote in", ["election_id"]),
}
LEAF_KINDS = tuple(k for k in SPECS if k not in (*GROUPS, "not"))


class _Where:
    """Where a node is: "Condition 2.1" for people, "/of/1/of/0" for the JSON."""

    def __init__(self, numbers: tuple[int, ...] = (), pointer: str = ""):
        self.numbers, self.pointer = numbers, pointer

    def child(self, i: int) -> _Where:
        return _Where(self.numbers + (i + 1,), f"{self.pointer}/of/{i}")

    def inner(self) -> _Where:
        return _Where(self.numbers, f"{self.pointer}/of")

    def error(self, message: str) -> ValidationError:
        who = "Condition " + ".".join(map(str, self.numbers)) if self.numbers else "The universe"
        return ValidationError(f"{who} ({self.pointer or '/'}): {message}")


def loads(text) -> object:
    """The definition's JSON text -> a Python value (not yet checked)."""
    if not isinstance(text, str):
        raise ValidationError("The definition must be JSON text.")
    if len(text) > MAX_JSON:
        raise ValidationError(f"The definition is longer than {MAX_JSON:,} characters.")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError("The definition is not valid JSON.") from None


def dumps(tree: dict) -> str:
    return json.dumps(tree, sort_keys=True, separators=(",", ":"))


def parse(raw, *, settings: Settings) -> dict:
    """Check a tree (a dict, or its JSON text) and return its canonical form."""
    if isinstance(raw, str):
        raw = loads(raw)
    return _Checker(settings).node(raw, _Where(), 0)


class _Checker:
    def __init__(self, settings: Settings):
        self.settings, self.count = settings, 0

    def node(self, raw, where: _Where, depth: int) -> dict:
        self.count += 1
        if self.count > MAX_NODES:
            raise where.error(f"a universe has at most {MAX_NODES} conditions and groups.")
        if depth > MAX_DEPTH:
            raise where.error(f"groups nest at most {MAX_DEPTH} deep.")
        if not isinstance(raw, dict):
            raise where.error('each condition must be an object like {"kind": "ward", "ids": [1]}.')
        kind = raw.get("kind")
        if "kind" not in raw:
            raise where.error(f"each condition needs a 'kind' (one of {', '.join(SPECS)}).")
        if not isinstance(kind, str) or kind not in SPECS:
            raise where.error(f"unknown kind {str(kind)[:40]!r} (expected one of {', '.join(SPECS)}).")
        spec = SPECS[kind]
        unknown = sorted(set(raw) - {"kind"} - spec.required - set(spec.optional))
        if unknown:
            raise where.error(f"unknown key {str(unknown[0])[:40]!r} for kind {kind!r}.")
        missing = sorted(spec.required - set(raw))
        if missing:
            raise where.error(f"kind {kind!r} needs {missing[0]!r}.")
        values = {**spec.optional, **{k: v for k, v in raw.items() if k != "kind"}}
        return {"kind": kind, **getattr(self, f"_{kind}", self._leaf)(kind, values, where, depth)}

    # ---- groups --------------------------------------------------------------------------------
    def _and(self, kind, v, where, depth):
        if not isinstance(v["of"], list):
            raise where.error(f"{kind!r} needs a list of conditions in 'of'.")
        return {"of": [self.node(child, where.child(i), depth + 1) for i, child in enumerate(v["of"])]}

    _or = _and

    def _not(self, kind, v, where, depth):
        return {"of": self.node(v["of"], where.inner(), depth + 1)}

    # ---- conditions ------------------------------------------------------------------------------
    def _leaf(self, kind, v, where, depth):
        return {}

    def _ids(self, kind, v, where, depth):
        return {"ids": _ids(v["ids"], where, f"{AREA_KINDS[kind]}s", f"choose at least one {AREA_KINDS[kind]}")}

    _ward = _neighbourhood = _walk_list = _ids

    def _support(self, kind, v, where, depth):
        scale = [value for value, _ in self.settings.support_scale]
        levels = _strings(v["levels"], where, "levels", allowed=scale, what="support level", empty_ok=True)
        unknown = _bool(v["unknown"], where, "unknown")
        if not levels and not unknown:
            raise where.error("choose at least one support level, or “no answer yet”.")
        return {"levels": [s for s in scale if s in levels], "unknown": unknown}

    def _reached(self, kind, v, where, depth):
        start, end = _date(v["from"], where, "from"), _date(v["to"], where, "to")
        if start and end and start > end:
            raise where.error(f"'from' ({start}) is after 'to' ({end}).")
        return {"channel": _channel(v["channel"], where, CHANNELS), "from": start, "to": end}

    _attempted = _reached

    def _never_reached(self, kind, v, where, depth):
        return {"channel": _channel(v["channel"], where, CHANNELS)}

    def _outcome(self, kind, v, where, depth):
        channel = _channel(v["channel"], where, CHANNELS[1:])
        known = list(self.settings.codes(channel))
        codes = _strings(v["codes"], where, "codes", allowed=known, what=f"{channel} outcome")
        return {"channel": channel, "codes": [c for c in known if c in codes], "latest": _bool(v["latest"], where, "latest")}

    def _issue(self, kind, v, where, depth):
        issues = _strings(v["issues"], where, "issues", allowed=self.settings.issues, what="issue")
        return {"issues": [i for i in self.settings.issues if i in issues]}

    def _flag(self, kind, v, where, depth):
        flags = _strings(v["flags"], where, "flags", allowed=list(FLAGS), what="flag")
        return {"flags": [f for f in FLAGS if f in flags]}

    def _voted(self, kind, v, where, depth):
        if v["election_id"] in (None, ""):
            raise where.error("choose an election.")
        return {"election_id": _id(v["election_id"], where, "election_id")}

    _did_not_vote = _voted


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def _id(value, where: _Where, key: str) -> int:
    if not _is_id(value):
        raise where.error(f"{key!r} must be a whole-number id from 1 to {MAX_ID}.")
    return value


def _ids(value, where: _Where, what: str, empty: str) -> list[int]:
    if not isinstance(value, list) or len(value) > MAX_IDS:
        raise where.error(f"'ids' must be a list of at most {MAX_IDS} {what}.")
    if not value:
        raise where.error(f"{empty}.")
    bad = [x for x in value if not _is_id(x)]
    if bad:
        raise where.error(f"'ids' must hold whole-number ids from 1 to {MAX_ID} (got {str(bad[0])[:20]!r}).")
    return sorted(set(value))


def _strings(value, where: _Where, key: str, *, allowed, what: str, empty_ok: bool = False) -> set[str]:
    if not isinstance(value, (list, tuple)) or len(value) > MAX_IDS:
        raise where.error(f"{key!r} must be a list.")
    if not value and not empty_ok:
        raise where.error(f"choose at least one {what}.")
    for item in value:
        if not isinstance(item, str) or item not in allowed:
            raise where.error(f"unknown {what} {str(item)[:40]!r}.")
    return set(value)


def _bool(value, where: _Where, key: str) -> bool:
    if not isinstance(value, bool):
        raise where.error(f"{key!r} must be true or false.")
    return value


def _channel(value, where: _Where, allowed) -> str:
    if value not in allowed:
        raise where.error(f"'channel' must be one of {', '.join(allowed)} (got {str(value)[:20]!r}).")
    return value


def _date(value, where: _Where, key: str) -> str | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise where.error(f"{key!r} must be a date like 2024-11-05 (got {str(value)[:20]!r}).")
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise where.error(f"{key!r} must be between {EARLIEST_DATE} and {LATEST_DATE}.")
    return day.isoformat()


def walk(tree: dict, where: _Where | None = None):
    """Every node of a canonical tree with where it is: (node, _Where), parents first."""
    where = where or _Where()
    yield tree, where
    if tree["kind"] in GROUPS:
        for i, child in enumerate(tree["of"]):
            yield from walk(child, where.child(i))
    elif tree["kind"] == "not":
        yield from walk(tree["of"], where.inner())
