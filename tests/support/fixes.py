"""Fix items as a phone's outbox sends them (``app.contacts.fix_rules``)."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

CONSENT = "I agree that the campaign may keep this number."


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


def fix(household, walk_list, kind: str, **extra) -> dict:
    item = {"id": str(uuid.uuid4()), "type": "fix", "fix": kind, "household_id": household.id,
            "walk_list_id": walk_list.id, "recorded_at": now_iso()}
    if extra.pop("consent", None) is not False and ("phone" in extra or "email" in extra):
        item["consent"] = {"text": CONSENT, "at": now_iso()}
    item.update(extra)
    return item
