"""Polling day: elector numbers, the register and absent-voter imports, polling stations, the
tellers' record of who has voted (POST /api/tellings lives in app/api), pledges, lifts, the
committee rooms' dashboards, knock-up rounds, the US ballot chase, after the poll the voting
history; the set-up pages, the rehearsal wipe and the purge timer."""
from .blueprint import bp  # noqa: F401  (its pages' modules register their views on it)
from . import (views_chase, views_knockup, views_lifts, views_phone, views_room, views_setup,  # noqa: F401,E402
               views_teller, views_turnout)  # (register their views on bp)
