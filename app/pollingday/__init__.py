"""Polling day: elector numbers, the register and absent-voter imports, polling stations, the
tellers' record of who has voted (POST /api/tellings lives in app/api), pledges, lifts, the
committee rooms' dashboards, the US ballot chase, and after the poll the voting history."""
from .blueprint import bp  # noqa: F401  (its pages' modules register their views on it)
from . import (views_chase, views_knockup, views_lifts, views_phone, views_room, views_teller,  # noqa: F401,E402
               views_turnout)  # (register their views on bp)
