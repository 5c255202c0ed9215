"""Sign-in, invites, PIN join, and the access rules (access.py)."""
from . import principals  # noqa: F401  (registers the Flask-Login user loader)
from . import views  # noqa: F401  (registers its views on bp)
from .blueprint import bp

__all__ = ["bp"]
