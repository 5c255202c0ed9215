"""The audit log, for organisers: who signed in, imported, exported, changed roles, purged."""
from __future__ import annotations

from flask import render_template, request
from sqlmodel import func, select

from ..auth.decorators import roles_required
from ..db import get_session
from ..models import AuditEntry, User
from ..params import MAX_ID, int_arg
from .blueprint import bp

PAGE_SIZE = 100


@bp.get("/audit")
@roles_required("organiser")
def audit_log():
    session = get_session()
    action = (request.args.get("action") or "").strip()[:60]
    page = int_arg(request.args, "page", "Page", default=1, maximum=MAX_ID // PAGE_SIZE)
    query = select(AuditEntry, User.email).join(User, User.id == AuditEntry.actor_user_id, isouter=True)
    counted = select(func.count()).select_from(AuditEntry)
    if action:
        # "auth" matches auth.login, auth.login_failed, auth.logout...
        query = query.where(AuditEntry.action.startswith(action))
        counted = counted.where(AuditEntry.action.startswith(action))
    total = session.exec(counted).one()
    rows = session.exec(query.order_by(AuditEntry.id.desc()).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    actions = session.exec(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).all()
    return render_template("organiser/audit.html", rows=rows, total=total, page=page, page_size=PAGE_SIZE,
                           action=action, actions=actions)
