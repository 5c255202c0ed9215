"""Events: create and run them, RSVP, reminders, check-in that hands out work, thank-yous."""
from . import views_manage, views_public  # noqa: F401  (registers the routes)
from .blueprint import bp

__all__ = ["bp"]
