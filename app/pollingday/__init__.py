"""Polling day: elector numbers, the register and absent-voter imports, polling stations, the
tellers' record of who has voted (POST /api/tellings lives in app/api), pledges, lifts and the
committee rooms' dashboards."""
from .blueprint import bp  # noqa: F401  (its pages' modules register their views on it)
from . import views_lifts, views_phone, views_room, views_teller  # noqa: F401,E402  (register their views on bp)
