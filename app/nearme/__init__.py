"""Canvass near me: a trained volunteer takes a walk list near where they stand, sized to the time
they have; team leads choose the self-serve areas and universe, and see who is out."""
from . import views, views_lead  # noqa: F401  (register their views on bp)
from .blueprint import bp

__all__ = ["bp", "init_app"]


def _checkout_on(walk_list_id: int):
    """The signed-in volunteer's self-serve checkout of this list, or None (the list page asks)."""
    from flask_login import current_user
    from sqlmodel import select

    from ..auth.access import is_user
    from ..db import get_session
    from ..models import SelfServeCheckout

    if not is_user(current_user):
        return None
    return get_session().exec(select(SelfServeCheckout).where(SelfServeCheckout.walk_list_id == walk_list_id,
                                                              SelfServeCheckout.user_id == current_user.id)).first()


def init_app(app) -> None:
    """canvass/list.html asks ``selfserve_checkout(id)`` to offer live-walk sharing on a near-me list."""
    def interval() -> int:
        from ..config import settings

        return settings().selfserve.share_interval_s

    app.context_processor(lambda: {"selfserve_checkout": _checkout_on, "selfserve_interval": interval})
