"""Polling day: elector numbers, the register and absent-voter imports, polling stations, and the
tellers' record of who has voted (POST /api/tellings lives in app/api)."""
from . import views_teller  # noqa: F401  (registers the teller pages on bp)
from .blueprint import bp  # noqa: F401  (its pages' modules register their views on it)
