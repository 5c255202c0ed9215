"""What "canvass near me" holds about one volunteer, for their subject-access export
(``flask export-volunteer``, app/volunteers/commands.py)."""
from __future__ import annotations

from sqlmodel import select

from ..models import SelfServeCheckout, WalkPosition


def export_walks(session, *, user_id: int) -> dict:
    """What "canvass near me" holds about one volunteer: their list, and the positions they shared."""
    checkouts = session.exec(select(SelfServeCheckout).where(SelfServeCheckout.user_id == user_id)).all()
    positions = session.exec(select(WalkPosition).where(WalkPosition.user_id == user_id)
                             .order_by(WalkPosition.recorded_at)).all()
    return {"checkouts": [c.model_dump(include={"walk_list_id", "team_id", "checked_out_at", "sharing_since"})
                          for c in checkouts],
            "positions": [p.model_dump(include={"lat", "lon", "recorded_at"}) for p in positions]}
