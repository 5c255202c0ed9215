"""From a stranger on the campaign's page to a signed-in volunteer: the public get-involved page,
sign-up and its email links, and the volunteer's home (/me)."""
from . import views, views_home  # noqa: F401  (register their views on bp)
from .blueprint import bp

__all__ = ["bp"]
