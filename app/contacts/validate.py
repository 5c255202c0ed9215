"""Checking one submitted contact event: the shapes, codes and ids ``app.contacts`` accepts.

Pure functions over the raw JSON item and what the database said about its household; a
problem raises ``Reject`` with the reason the phone is shown.
"""
from __future__ import annotations

import math
import uuid
from datetime import datetime, timedelta

from ..clock import as_utc
from ..config import Settings

MAX_NOTES = 2000
MAX_CLOCK_SKEW = timedelta(days=1)  # a phone clock further in the future than this is wrong


class Reject(Exception):
    """The item cannot be stored; str(err) says why."""


def parse_event_id(raw) -> str:
    try:
        return str(uuid.UUID(str(raw)))
    except (ValueError, TypeError, AttributeError):
        raise Reject("id must be a UUID") from None


def parse_timestamp(raw, *, now: datetime) -> datetime:
    if not isinstance(raw, str):
        raise Reject("recorded_at must be an ISO 8601 timestamp")
    try:
        when = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise Reject(f"recorded_at {raw[:40]!r} is not an ISO 8601 timestamp") from None
    # A phone that sends no offset is taken to mean UTC (the outbox script always sends Z).
    when = as_utc(when)
    if when > now + MAX_CLOCK_SKEW:
        raise Reject("recorded_at is more than a day in the future: check the phone's clock")
    return when


MAX_ID = 2**63 - 1  # a database BIGINT; anything larger is no id of ours


def parse_id(raw) -> int | None:
    """A row id from JSON (an integer or a string of digits), or None when it cannot be one."""
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        return None
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if 0 < value <= MAX_ID else None


def _int(raw, name: str) -> int:
    value = parse_id(raw)
    if value is None:
        raise Reject(f"{name} must be a positive integer id")
    return value


def _coord(raw, name: str, limit: float) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw) or abs(raw) > limit:
        raise Reject(f"{name} must be a number within ±{limit:g}")
    return float(raw)


def _flag(raw, name: str) -> bool:
    if raw is None:
        return False
    if not isinstance(raw, bool):
        raise Reject(f"{name} must be true or false")
    return raw


def _responses(raw, *, household_people: set[int], settings: Settings) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise Reject("responses must be a list")
    scale = {value for value, _ in settings.support_scale}
    issues_allowed = set(settings.issues)
    out, seen = [], set()
    for item in raw:
        if not isinstance(item, dict):
            raise Reject("each response must be an object")
        person_id = _int(item.get("person_id"), "responses.person_id")
        if person_id not in household_people:
            raise Reject(f"person {person_id} does not live at this household")
        if person_id in seen:
            raise Reject(f"person {person_id} appears twice in responses")
        seen.add(person_id)
        support = item.get("support_level")
        if support is not None and str(support) not in scale:
            raise Reject(f"support_level {support!r} is not on the campaign's scale")
        issues = item.get("issues") or []
        if not isinstance(issues, list) or not all(isinstance(i, str) for i in issues):
            raise Reject("issues must be a list of strings")
        unknown = [i for i in issues if i not in issues_allowed]
        if unknown:
            raise Reject(f"unknown issue {unknown[0]!r}")
        out.append(dict(
            person_id=person_id,
            support_level=None if support is None else str(support),
            issues="|".join(issues),
            volunteer_interest=_flag(item.get("volunteer_interest"), "volunteer_interest"),
            postal_vote=_flag(item.get("postal_vote"), "postal_vote"),
            poster=_flag(item.get("poster"), "poster"),
        ))
    return out


def validate(raw: dict, *, channel: str, settings: Settings, households: dict, people: dict,
              now: datetime) -> dict:
    codes = settings.codes(channel)
    code = raw.get("code")
    if not isinstance(code, str) or code not in codes:
        raise Reject(f"unknown {channel} code {str(code)[:40]!r}")
    household_id = _int(raw.get("household_id"), "household_id")
    if household_id not in households:
        raise Reject(f"household {household_id} does not exist")
    household_people = {pid for pid, hid in people.items() if hid == household_id}
    person_id = raw.get("person_id")
    if person_id is not None:
        person_id = _int(person_id, "person_id")
        if person_id not in household_people:
            raise Reject(f"person {person_id} does not live at household {household_id}")
    notes = raw.get("notes") or ""
    if not isinstance(notes, str) or len(notes) > MAX_NOTES:
        raise Reject(f"notes must be text of at most {MAX_NOTES} characters")
    return dict(
        event=dict(
            channel=channel,
            code=code,
            household_id=household_id,
            person_id=person_id,
            walk_list_id=_int(raw["walk_list_id"], "walk_list_id") if raw.get("walk_list_id") is not None else None,
            call_attempt_id=_int(raw["call_attempt_id"], "call_attempt_id") if raw.get("call_attempt_id") is not None else None,
            recorded_at=parse_timestamp(raw.get("recorded_at"), now=now),
            lat=_coord(raw.get("lat"), "lat", 90),
            lon=_coord(raw.get("lon"), "lon", 180),
            accuracy_m=_coord(raw.get("accuracy_m"), "accuracy_m", 1e6),
            notes=notes,
        ),
        responses=_responses(raw.get("responses"), household_people=household_people, settings=settings),
        code=codes[code],
    )
