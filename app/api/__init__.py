"""JSON for the phone: POST /api/outcomes (the door-knock path) and the lists the phone keeps offline."""
from . import views  # noqa: F401  (registers its views on bp)
from .blueprint import bp

__all__ = ["bp"]
