"""Polling day: elector numbers, the register and absent-voter imports, polling stations, and the
tellers' record of who has voted (POST /api/tellings lives in app/api)."""
from .blueprint import bp  # noqa: F401  (its pages' modules register their views on it)
