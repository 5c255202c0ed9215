"""Route guards. Anonymous users are sent to sign in (401 for the API); a signed-in user
without the role gets 403."""
from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager


def roles_required(*roles: str):
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def lead_or_organiser_required(view):
    """Signed in, and an organiser or the lead of at least one team (whose powers the views and
    operations then keep inside the team's areas: access.area_scope)."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        from ..db import get_session
        from .access import may_lead

        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not may_lead(get_session(), principal=current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper
