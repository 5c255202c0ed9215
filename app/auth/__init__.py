"""Sign-in, invites, PIN join, and the access rules (access.py)."""
from . import principals  # noqa: F401
