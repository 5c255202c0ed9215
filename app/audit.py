"""The audit log: one helper, called by whatever changes or reveals data in bulk."""
from __future__ import annotations

import json

from flask import has_request_context, request
from sqlmodel import Session

from .models import AuditEntry


def audit(session: Session, *, action: str, actor_user_id: int | None = None, actor_label: str = "",
          target: str = "", detail: dict | str | None = None) -> AuditEntry:
    """Add an audit entry to the session (the caller's transaction commits it with the change)."""
    if isinstance(detail, dict):
        detail = json.dumps(detail, sort_keys=True, default=str)
    entry = AuditEntry(
        action=action,
        actor_user_id=actor_user_id,
        actor_label=actor_label[:254],
        target=str(target)[:120],
        detail=detail or "",
        ip=(request.remote_addr or "") if has_request_context() else "",
    )
    session.add(entry)
    return entry
