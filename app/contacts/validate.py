"""Checking one submitted contact event: the shapes, codes and ids ``app.contacts`` accepts.

Pure functions over the raw JSON item and what the database said about its household; a
problem raises ``Reject`` with the reason the phone is shown.
"""
from __future__ import annotations

import math
import re
import uuid
from datetime import datetime, timedelta, timezone

from ..clock import as_utc
from ..config import Settings
from ..params import MAX_ID
from ..models import Channel

MAX_NOTES = 2000
MAX_CLOCK_SKEW = timedelta(days=1)  # a phone clock further in the future than this is wrong
# Before this no phone ran Legwork: an older recorded_at is a clock reset (or made up), and the
# extreme ones (0001-01-01T00:00:00+14:00) overflow as soon as they are moved to UTC.
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)
MAX_RESPONSES = 50  # more than any household holds; responses must name its people anyway
MAX_ISSUES = 50
MAX_ISSUES_TEXT = 1000  # survey_responses.issues, "|"-joined
# NUL cannot be stored in PostgreSQL text; the other C0 controls are never typed by a person.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    try:
        when = as_utc(when)
    except OverflowError:
        raise Reject(f"recorded_at {raw[:40]!r} is out of range") from None
    if when < EARLIEST:
        raise Reject(f"recorded_at is before {EARLIEST:%Y-%m-%d}: check the phone's clock")
    if when > now + MAX_CLOCK_SKEW:
        raise Reject("recorded_at is more than a day in the future: check the phone's clock")
    return when




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
    if len(raw) > len(household_people):
        raise Reject(f"{len(raw)} responses, but the household has {len(household_people)} people")
    if len(raw) > MAX_RESPONSES:
        raise Reject(f"at most {MAX_RESPONSES} responses per outcome")
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
        if support is not None and (isinstance(support, bool) or not isinstance(support, (str, int))
                                    or str(support) not in scale):
            raise Reject(f"support_level {str(support)[:40]!r} is not on the campaign's scale")
        issues = _issues(item.get("issues"), issues_allowed)
        out.append(dict(
            person_id=person_id,
            support_level=None if support is None else str(support),
            issues="|".join(issues),
            volunteer_interest=_flag(item.get("volunteer_interest"), "volunteer_interest"),
            postal_vote=_flag(item.get("postal_vote"), "postal_vote"),
            poster=_flag(item.get("poster"), "poster"),
        ))
    return out


def _issues(raw, allowed: set[str]) -> list[str]:
    """Known issue labels, each once, in the order given."""
    issues = raw or []
    if not isinstance(issues, list) or len(issues) > MAX_ISSUES or not all(isinstance(i, str) for i in issues):
        raise Reject(f"issues must be a list of at most {MAX_ISSUES} strings")
    unknown = [i for i in issues if i not in allowed]
    if unknown:
        raise Reject(f"unknown issue {unknown[0][:40]!r}")
    issues = list(dict.fromkeys(issues))
    if len("|".join(issues)) > MAX_ISSUES_TEXT:
        raise Reject(f"issues take more than {MAX_ISSUES_TEXT} characters")
    return issues


def _text(raw, field: str) -> str:
    """A free-text field a person typed (notes, a question to follow up): at most MAX_NOTES, no controls."""
    text = raw or ""
    if not isinstance(text, str) or len(text) > MAX_NOTES:
        raise Reject(f"{field} must be text of at most {MAX_NOTES} characters")
    bad = _CONTROL.search(text)
    if bad:
        raise Reject(f"{field} contains a control character (U+{ord(bad.group()):04X}) at position {bad.start() + 1}")
    return text


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
    notes = _text(raw.get("notes"), "notes")
    if channel == Channel.DOOR and raw.get("call_attempt_id") is not None:
        # Only the phone bank links an event to a call attempt, from its own row: from a phone
        # it would be an id nobody checked (a foreign-key error for the whole batch).
        raise Reject("call_attempt_id is not accepted for door outcomes")
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
        follow_up=_text(raw.get("follow_up"), "follow_up").strip(),  # a question for the campaign: the follow-up queue
    )

