"""Guessing limits that a stranger cannot turn against a volunteer.

Three layers guard sign-in (and, the same way, PIN join):

1. per client address (the real one: ``app.security`` trusts X-Forwarded-For only behind a
   configured number of proxies): a hard limit, declared on the route with Flask-Limiter;
2. per (account, client address): a hard limit, also on the route, so one address cannot spend
   its whole allowance on one account, and its refusals lock only that address out;
3. per account, across every address (``guard`` below): wrong answers from devices that never
   signed in to that account are counted; past the limit (windows of at most a minute) such
   devices wait, told for how long, before their next try is even checked. A device that signed
   in to the account before carries a signed cookie naming it and is never slowed, so even a
   many-address attack leaves the volunteer's own phone able to sign in.

Counts live in the limiter's storage (RATELIMIT_STORAGE_URI: Redis under scripts/run), so every
worker sees the same numbers.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import math
import time

from flask import current_app, make_response, request
from itsdangerous import BadSignature, URLSafeSerializer
from limits import parse_many

from ..config import AuthSettings, ConfigError, settings
from ..errors import LegworkError
from ..extensions import limiter

log = logging.getLogger(__name__)
DEVICE_COOKIE = "legwork_device"
DEVICE_COOKIE_DAYS = 400
MAX_REMEMBERED = 8  # accounts and lists one device vouches for (a shared campaign-office laptop)


class TooManyAttempts(LegworkError):
    status = 429
    kind = "too_many_attempts"


# [auth] keys (AuthSettings, where their defaults are).
HARD_LIMITS = ("login_rate_limit", "login_account_rate_limit", "pin_rate_limit", "pin_code_rate_limit")
SLOW_DOWNS = ("login_account_failures", "pin_code_failures")


def check_settings(auth: AuthSettings) -> None:
    """At start-up, not mid-shift: every limit parses, and no slow-down makes anyone wait over a minute."""
    for key in HARD_LIMITS + SLOW_DOWNS:
        raw = getattr(auth, key)
        try:
            items = parse_many(raw) if isinstance(raw, str) else None
        except ValueError:
            items = None
        if not items:
            raise ConfigError(f"[auth] {key} must be limits like \"10 per minute;50 per hour\", not {raw!r}")
        if key in SLOW_DOWNS and any(item.get_expiry() > 60 for item in items):
            raise ConfigError(f"[auth] {key} must use windows of a minute at most: it holds up volunteers too")


def client_address() -> str:
    return request.remote_addr or "unknown"


def pair_key(subject: str) -> str:
    """The limiter key for (subject, client address)."""
    return f"{subject}|{client_address()}"


def _digest(scope: str, subject: str) -> str:
    # The cookie is signed, not encrypted: it names accounts by a digest, never by email.
    return hashlib.sha256(f"{scope}:{subject}".encode()).hexdigest()[:20]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.secret_key, salt="legwork-device")


def _remembered() -> list[str]:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        value = _serializer().loads(raw)
    except BadSignature:
        return []
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _remember(response, digest: str) -> None:
    known = [d for d in _remembered() if d != digest]
    value = _serializer().dumps(([digest] + known)[:MAX_REMEMBERED])
    response.set_cookie(DEVICE_COOKIE, value, max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
                        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))


def _wait_seconds(limits, scope: str, digest: str) -> int:
    """Seconds until ``digest`` may try again (0: now). Counts only, nothing is hit."""
    strategy = limiter.limiter
    try:
        waits = [math.ceil(strategy.get_window_stats(item, *_ids(scope, digest)).reset_time - time.time())
                 for item in limits if not strategy.test(item, *_ids(scope, digest))]
    except Exception:  # storage unreachable: the per-address limits (memory fallback) still hold
        log.warning("rate-limit storage unreachable: %s slow-down skipped", scope, exc_info=True)
        return 0
    return max([1, *waits]) if waits else 0


def _count_failure(limits, scope: str, digest: str) -> None:
    try:
        for item in limits:
            limiter.limiter.hit(item, *_ids(scope, digest))
    except Exception:
        log.warning("rate-limit storage unreachable: %s failure not counted", scope, exc_info=True)


def _ids(scope: str, digest: str) -> tuple[str, ...]:
    return ("legwork-throttle", scope, digest)


def guard(scope: str, *, subject, setting: str):
    """Count wrong answers (401) to ``subject()`` from devices it does not know, across all addresses;
    past the ``[auth] setting`` limit refuse them with a wait; a success (redirect) vouches for the
    device."""
    def decorate(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if request.method != "POST" or not current_app.config.get("RATELIMIT_ENABLED", True):
                return view(*args, **kwargs)
            limits = parse_many(getattr(settings().auth, setting))
            digest = _digest(scope, subject())
            known = digest in _remembered()
            wait = 0 if known else _wait_seconds(limits, scope, digest)
            if wait:
                raise TooManyAttempts(f"Too many attempts from elsewhere. Try again in {wait} s; a device "
                                      "that has signed in here before is not held up.")
            response = make_response(view(*args, **kwargs))
            if response.status_code == 401 and not known:
                _count_failure(limits, scope, digest)
            elif response.status_code in (302, 303):
                _remember(response, digest)
            return response
        return wrapped
    return decorate


def guessing_limits(scope: str, *, subject, pair_scope: str, address_setting: str, pair_setting: str,
                    failures_setting: str):
    """The three layers every form that can be guessed at gets: per client address, per (subject,
    address) pair, and ``guard``'s slow-down of the subject for devices it does not know."""
    def decorate(view):
        view = limiter.limit(lambda: getattr(settings().auth, pair_setting), methods=["POST"],
                             key_func=lambda: f"{pair_scope}:" + pair_key(subject()), scope=pair_scope)(view)
        view = limiter.limit(lambda: getattr(settings().auth, address_setting), methods=["POST"],
                             scope=f"{scope}-address")(view)
        return guard(scope, subject=subject, setting=failures_setting)(view)
    return decorate
