"""JSON for the phone: POST /api/outcomes (the door-knock path), POST /api/tellings (polling day) and the lists the phone keeps offline."""
from . import views, views_tellings  # noqa: F401  (registers their views on bp)
from .blueprint import bp

__all__ = ["bp"]
