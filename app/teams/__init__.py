"""Local teams: their areas, members and leads (organisers run them; a lead sees their own)."""
from . import views  # noqa: F401  (registers its views on bp)
from .blueprint import bp

__all__ = ["bp", "init_app"]


def _may_lead() -> bool:
    from flask_login import current_user

    from ..auth.access import may_lead
    from ..db import get_session

    return may_lead(get_session(), principal=current_user)


def init_app(app) -> None:
    """base.html asks ``may_lead()`` (organiser, or leads a team) to show the Organise link; a
    function, so only pages that ask pay for the query."""
    app.context_processor(lambda: {"may_lead": _may_lead})
