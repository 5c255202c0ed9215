"""How long a sign-in lasts, and what happens at sign-in.

- A session lasts ``[auth] session_days`` (default 3) since the device was last used, not since
  sign-in: a canvasser's phone may stay offline a whole day and still post its outbox the next
  morning, and a copied cookie dies within days of its owner's last use instead of after Flask's
  31 days. The cookie is re-signed at most once every ``REFRESH_SECONDS``, not on every request
  (the phone's POSTs are the hot path). Whatever the use, a sign-in ends after
  ``[auth] session_max_days`` (default 14): a copied cookie kept alive by its thief dies too. No sign-in sets a remember cookie; its duration is
  pinned to the same days in case one ever does.
- Server-side ending: the user's id in the session carries ``users.session_generation``
  (``app.models.users``), checked by the loader on the row it reads anyway (``principals``).
- Signing in rotates the CSRF secret, so a token seen before sign-in is worthless after it.
- The session is bound to a device (User-Agent) and the real client address
  (``request.remote_addr``, which X-Forwarded-For sets only behind configured proxies), in
  Flask-Login's "basic" mode: a change marks the session not fresh. "strong" mode deleted the
  session instead, signing a phone out each time it moved between wifi and mobile data (and
  for permanent sessions Flask-Login behaves as "basic" anyway).
"""
from __future__ import annotations

import hashlib
import time
from datetime import timedelta

from flask import Flask, current_app, request, session
from flask_login import user_logged_in, user_logged_out

from ..config import ConfigError
from ..extensions import login_manager

REFRESH_SECONDS = 3600
SEEN_KEY = "_seen"
SINCE_KEY = "_since"


def _identifier() -> str:
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{request.remote_addr}|{agent}".encode()).hexdigest()


def _days(app: Flask, key: str) -> float:
    days = getattr(app.extensions["legwork_settings"].auth, key)  # a number: checked at load_config
    if not 0 < days <= 31:
        raise ConfigError(f"[auth] {key} must be a number of days between 0 and 31, not {days!r}")
    return days


def _signed_in(sender, user, **extra) -> None:
    session.pop("csrf_token", None)  # Flask-WTF makes a new secret for the next form
    session.permanent = True
    session[SEEN_KEY] = session[SINCE_KEY] = int(time.time())


def _signed_out(sender, user, **extra) -> None:
    session.pop(SEEN_KEY, None)
    session.pop(SINCE_KEY, None)


def _refresh() -> None:
    seen = session.get(SEEN_KEY)
    if seen is None:
        return
    now = time.time()
    if now - session.get(SINCE_KEY, seen) > current_app.config["LEGWORK_SESSION_MAX_SECONDS"]:
        session.clear()  # before anything loads the user: this request is anonymous
    elif now - seen > REFRESH_SECONDS:
        session[SEEN_KEY] = int(now)  # modified: Flask re-signs the cookie with a new expiry


def init_app(app: Flask) -> None:
    from .throttle import check_settings

    check_settings(app.extensions["legwork_settings"].auth)
    lifetime = timedelta(days=_days(app, "session_days"))
    app.config["LEGWORK_SESSION_MAX_SECONDS"] = timedelta(days=_days(app, "session_max_days")).total_seconds()
    app.config["PERMANENT_SESSION_LIFETIME"] = lifetime
    app.config["REMEMBER_COOKIE_DURATION"] = lifetime
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False  # _refresh does it, hourly
    login_manager.session_protection = "basic"
    login_manager._session_identifier_generator = _identifier
    user_logged_in.connect(_signed_in)  # connected per app: blinker keeps one copy of a function
    user_logged_out.connect(_signed_out)
    app.before_request(_refresh)
