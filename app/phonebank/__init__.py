"""The phone bank: call sheets, the live queue (claim, release, retry), the call screen, Twilio."""
from . import views_calls, views_sheets, webhooks  # noqa: F401  (register their views on bp)
from .blueprint import bp
from .filters import init_app

__all__ = ["bp", "init_app"]
