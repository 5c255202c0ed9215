"""Polling day: elector numbers, the register and absent-voter imports, polling stations, the
tellers' record of who has voted (POST /api/tellings lives in app/api), pledges, lifts and the
committee rooms' dashboards; the set-up pages, the rehearsal wipe and the purge timer."""
from .blueprint import bp  # noqa: F401  (its pages' modules register their views on it)
from . import views_lifts, views_room, views_setup, views_teller  # noqa: F401,E402  (register their views on bp)
