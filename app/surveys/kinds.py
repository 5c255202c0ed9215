"""Question kinds, what an answer of each kind may be and how it is stored; the scripts' placeholders.

Pure: no database. ``answer_value`` raises ``BadAnswer`` with the reason the phone or the caller is
shown; the contact path turns it into a rejection of the whole outcome (nothing stored).
"""
from __future__ import annotations

import json
import math
import re
import string
from dataclasses import dataclass

KINDS = {
    "single": "Single choice",
    "multiple": "Multiple choice",
    "yes_no": "Yes / no",
    "number": "Number (whole)",
    "text": "Free text",
}
CHOICE_KINDS = ("single", "multiple")
MAX_CHOICES = 30
MAX_CHOICE = 80
MAX_TEXT = 1000          # the longest free-text answer any question may allow
NUMBER_LIMIT = 10 ** 12  # a number question's range stays inside this (and inside a bigint)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# What each script may say. Door: filled per door on the phone; phone: per call on the server.
DOOR_PLACEHOLDERS = ("campaign", "canvasser_name", "first_name", "street", "list_name")
PHONE_PLACEHOLDERS = ("campaign", "caller_name", "first_name", "street")


class BadAnswer(ValueError):
    """An answer that does not fit its question; str(err) says why."""


@dataclass(frozen=True)
class Spec:
    """One question version, as the contact path checks answers against it."""

    version_id: int
    question_id: int
    kind: str
    prompt: str
    choices: tuple[str, ...] = ()
    min_value: int | None = None
    max_value: int | None = None
    max_length: int | None = None

    def as_payload(self) -> dict:
        return {"version_id": self.version_id, "question_id": self.question_id, "kind": self.kind,
                "prompt": self.prompt, "choices": list(self.choices), "min": self.min_value, "max": self.max_value,
                "max_length": self.max_length or MAX_TEXT}


def answer_value(spec: Spec, raw) -> str | None:
    """The stored text of an answer, or None for "not answered" (null, "", an empty list)."""
    if raw is None or raw == "" or raw == []:
        return None
    what = f"“{spec.prompt[:60]}”"
    if spec.kind == "single":
        if not isinstance(raw, str) or raw not in spec.choices:
            raise BadAnswer(f"{str(raw)[:40]!r} is not one of the choices of {what}")
        return raw
    if spec.kind == "multiple":
        if not isinstance(raw, list) or not all(isinstance(c, str) for c in raw) or len(raw) > MAX_CHOICES:
            raise BadAnswer(f"the answer to {what} must be a list of its choices")
        unknown = [c for c in raw if c not in spec.choices]
        if unknown:
            raise BadAnswer(f"{unknown[0][:40]!r} is not one of the choices of {what}")
        chosen = set(raw)
        return json.dumps([c for c in spec.choices if c in chosen], ensure_ascii=False)
    if spec.kind == "yes_no":
        if not isinstance(raw, bool):
            raise BadAnswer(f"the answer to {what} must be yes or no (true or false)")
        return "yes" if raw else "no"
    if spec.kind == "number":
        return _number(spec, raw, what)
    if spec.kind == "text":
        if not isinstance(raw, str):
            raise BadAnswer(f"the answer to {what} must be text")
        text = raw.strip()
        limit = spec.max_length or MAX_TEXT
        if len(text) > limit:
            raise BadAnswer(f"the answer to {what} is longer than {limit} characters")
        bad = _CONTROL.search(text)
        if bad:
            raise BadAnswer(f"the answer to {what} contains a control character (U+{ord(bad.group()):04X})")
        return text or None
    raise BadAnswer(f"{what} has an unknown kind")


def _number(spec: Spec, raw, what: str) -> str:
    if isinstance(raw, str) and re.fullmatch(r"\s*-?\d{1,13}\s*", raw):
        raw = int(raw)
    if isinstance(raw, float) and math.isfinite(raw) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or abs(raw) > NUMBER_LIMIT:
        raise BadAnswer(f"the answer to {what} must be a whole number")
    if spec.min_value is not None and raw < spec.min_value:
        raise BadAnswer(f"the answer to {what} must be at least {spec.min_value}")
    if spec.max_value is not None and raw > spec.max_value:
        raise BadAnswer(f"the answer to {what} must be at most {spec.max_value}")
    return str(raw)


def shown(kind: str, stored: str | None) -> str:
    """A stored answer as a person reads it (exports, the call screen's history)."""
    if stored is None:
        return ""
    if kind == "multiple":
        try:
            return "; ".join(json.loads(stored))
        except (ValueError, TypeError):
            return stored
    return stored


def check_script(text: str, allowed: tuple[str, ...], *, which: str) -> str:
    """The script as saved, or ValueError naming the first placeholder it cannot fill."""
    try:
        fields = [name for _, name, spec, conv in string.Formatter().parse(text) if name is not None]
    except ValueError as err:
        raise ValueError(f"The {which} script has a stray brace ({err}): write {{{{ or }}}} for a literal one.") from None
    for name in fields:
        if name not in allowed:
            shown_name = "{" + name + "}" if name else "{}"
            raise ValueError(f"The {which} script uses {shown_name}, which it cannot fill. "
                             f"It can use: {', '.join('{' + a + '}' for a in allowed)}.")
    # A format spec or conversion ("{first_name!r}", "{street:>9}") would be parsed as code, not shown.
    for _, name, spec, conv in string.Formatter().parse(text):
        if name is not None and (spec or conv):
            raise ValueError(f"The {which} script's {{{name}}} takes no “:” or “!” after the name.")
    return text


def fill_script(text: str, values: dict) -> str:
    """A checked script with its placeholders filled (an unknown one, from an old config, stays as typed)."""
    class _Keep(dict):
        def __missing__(self, key):
            return "{" + key + "}"
    try:
        return string.Formatter().vformat(text, (), _Keep(values))
    except (ValueError, IndexError, KeyError, AttributeError):
        return text
