"""One door's visibility, the way the app checks it (``require_households``)."""
from __future__ import annotations

from app.auth.access import require_households
from app.errors import Forbidden


def can_see_household(session, *, principal, household_id: int) -> bool:
    """What the app checks for one door (require_households; access.can_see_household was unused)."""
    try:
        require_households(session, principal=principal, household_ids={household_id})
    except Forbidden:
        return False
    return True
