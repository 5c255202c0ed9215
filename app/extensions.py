"""Extensions, created unbound; create_app() binds them with init_app(app)."""
import functools

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.session_protection = "basic"  # why not "strong": app/auth/sessions.py

csrf = CSRFProtect()

# Limits are declared on the routes that need them (login, PIN join); nothing by default.
# get_remote_address is request.remote_addr: the real client once app.security's ProxyFix has
# read X-Forwarded-For (only behind configured proxies). The prefix keeps Legwork's counts apart
# on a Redis that other programs share.
# If Redis goes away mid-shift, each worker counts in its own memory until it is back, rather
# than every sign-in failing.
limiter = Limiter(key_func=get_remote_address, default_limits=[],  # storage: RATELIMIT_STORAGE_URI
                  key_prefix="legwork", in_memory_fallback_enabled=True)


def init_limiter(app: Flask, *, unlimited: tuple[str, ...] = ("api",)) -> None:
    """``limiter.init_app(app)``, with its hooks skipped for the ``unlimited`` blueprints.

    The phone API has no rate limits (a phone back in signal sends its whole outbox at once; sign-in
    and PIN attempts are limited where they happen). Flask-Limiter runs its hooks on every request
    even when a request filter exempts it: measured with callgrind, 5.6% of a door knock's
    instructions. Its hooks are the ones init_app adds, so they are found by what it added.
    """
    hooks = {"before": app.before_request_funcs.setdefault(None, []),
             "after": app.after_request_funcs.setdefault(None, []),
             "teardown": app.teardown_request_funcs.setdefault(None, [])}
    known = {kind: list(funcs) for kind, funcs in hooks.items()}
    limiter.init_app(app)
    for kind, funcs in hooks.items():
        for i, hook in enumerate(funcs):
            if not any(hook is old for old in known[kind]):
                funcs[i] = _skipped_for(unlimited, hook, passes_response=kind == "after")


def _skipped_for(blueprints: tuple[str, ...], hook, *, passes_response: bool):
    @functools.wraps(hook)
    def wrapped(*args):
        if request.blueprint in blueprints:
            return args[0] if passes_response else None
        return hook(*args)
    return wrapped
