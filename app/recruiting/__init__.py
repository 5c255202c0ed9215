"""Find 10 more: each volunteer's recruiting link and QR code, crediting sign-ups through it
(this device by cookie, another by the typed code), "My 10", and the recruitment chains and
ladder organisers and team leads see."""
from . import views  # noqa: F401  (registers the views on bp)
from .blueprint import bp
from .invite import remember


@bp.after_app_request
def _remember_invite(response):
    from ..db import get_session

    return remember(response, get_session())


__all__ = ["bp"]
