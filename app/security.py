"""Security headers on every response, set in one place.

Also: which client a request comes from. X-Forwarded-For is believed only when ``[server]
proxies`` says how many reverse proxies stand in front (ProxyFix); otherwise anyone could name
any address and pick their own rate-limit bucket or session-protection address.

Scripts come only from Legwork itself: no inline script anywhere. A page that must carry an
inline script (folium's generated map) registers its hash with ``allow_inline_script`` instead
of weakening the policy for every page.
"""
from __future__ import annotations

import base64
import hashlib
from urllib.parse import urlsplit

from flask import Flask, g
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import ConfigError


def allow_inline_script(source: str) -> None:
    digest = base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()
    g.setdefault("csp_script_hashes", []).append(f"'sha256-{digest}'")


def _tile_origin(app: Flask) -> str:
    url = app.extensions["legwork_settings"].maps.tile_url
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc
    # Leaflet may use {s} subdomains: allow all of them for the tile host.
    if "{s}" in url:
        host = "*." + host.split(".", 1)[1] if host.count(".") >= 2 else host
    return f"{parts.scheme}://{host}"


def _csp(tiles: str, script_hashes: str = "") -> str:
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {script_hashes}".strip(),
        "style-src 'self' 'unsafe-inline'",  # folium/Leaflet set inline styles on elements
        f"img-src 'self' data: blob: {tiles}".strip(),
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "worker-src 'self'",
        "manifest-src 'self'",
    ])


def trusted_proxies(app: Flask) -> int:
    raw = app.extensions["legwork_settings"].server.proxies  # a whole number: checked at load_config
    if not 0 <= raw <= 5:
        raise ConfigError(f"[server] proxies must be a whole number of reverse proxies (0-5), not {raw!r}")
    return raw


def init_app(app: Flask) -> None:
    proxies = trusted_proxies(app)
    if proxies:
        # The nearest `proxies` entries of X-Forwarded-For/-Proto were written by our own proxies;
        # anything further left came from the client and is ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    from .auth import sessions

    sessions.init_app(app)
    tiles = _tile_origin(app)
    # Built once: every response carries these, door-knock posts included.
    fixed = {
        "Content-Security-Policy": _csp(tiles),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(self)",
    }
    if app.config.get("SESSION_COOKIE_SECURE"):
        fixed["Strict-Transport-Security"] = "max-age=31536000"
    fixed = [(name, name.lower(), value) for name, value in fixed.items()]

    @app.after_request
    def _headers(response):
        headers = response.headers
        # One pass over what the view set (a view may set its own); `name in headers` would
        # scan the list once per name.
        present = {key.lower() for key in headers.keys()}
        hashes = g.get("csp_script_hashes")
        own = {"Content-Security-Policy": _csp(tiles, " ".join(hashes))} if hashes else {}
        for name, lower, value in fixed:
            if lower not in present:
                headers.add(name, own.get(name, value))
        return response
