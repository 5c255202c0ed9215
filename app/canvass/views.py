"""The canvasser's phone pages: my lists, one list in walking order, its map, PIN join, and the
service worker that keeps all of them (and the outbox script) working offline.

The list pages are shells: the doors come from GET /api/lists/<id>, which the service worker
caches, and recorded outcomes go to an IndexedDB outbox (static/canvass/outbox.js).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_user

from ..audit import audit
from ..auth import throttle
from ..auth.access import require_list
from ..auth.decorators import roles_required
from ..auth.principals import PinPrincipal
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import NotFound
from ..models import WalkList
from ..walk_lists import check_pin
from .data import my_lists as lists_for
from .forms import JoinForm
from .blueprint import bp


CANVASS_ROLES = ("canvasser", "knocker", "pin", "organiser")
STATIC = Path(__file__).resolve().parent.parent / "static"
# What the service worker keeps so the pages open with no signal at all.
# Every ES module a canvass page imports must be here, or the page breaks offline.
SHELL_FILES = ("app.css", "tokens.css", "canvass/canvass.css", "canvass/outbox.js", "canvass/sync-rules.js",
               "canvass/tray.js", "canvass/doors.js", "canvass/format.js", "canvass/list.js", "canvass/signout.js",
               "canvass/knockup.js", "canvass/sheet.js", "canvass/questions.js", "canvass/people-fix.js",
               "canvass/fix-rules.js", "canvass/dom.js", "canvass/icons.js",
               "nearme/share.js", "nearme/share-rules.js", "favicon.svg")
MAP_FILES = ("vendor/leaflet/leaflet.css", "vendor/leaflet/leaflet.js", "canvass/map.js", "canvass/spread.js")


@bp.get("/")
@roles_required(*CANVASS_ROLES)
def my_lists():
    lists = lists_for(get_session(), principal=current_user)
    if current_user.has_role("pin") and len(lists) == 1:
        return redirect(url_for("canvass.list_page", walk_list_id=lists[0]["id"]))
    precache = [url for w in lists for url in _list_urls(w["id"])]
    return render_template("canvass/my_lists.html", lists=lists, precache=precache)


def _list_urls(walk_list_id: int) -> list[str]:
    return [url_for("canvass.list_page", walk_list_id=walk_list_id),
            url_for("api.get_list", walk_list_id=walk_list_id)]


def _walk_list(walk_list_id: int) -> WalkList:
    session = get_session()
    require_list(session, principal=current_user, walk_list_id=walk_list_id)
    walk_list = session.get(WalkList, walk_list_id)
    if walk_list is None:
        raise NotFound("That walk list does not exist.")
    return walk_list


@bp.get("/lists/<int:walk_list_id>")
@roles_required(*CANVASS_ROLES)
def list_page(walk_list_id: int):
    walk_list = _walk_list(walk_list_id)
    # Every page a canvasser can reach from the list works offline once the list has been seen:
    # My lists (the sign-in lands there before the worker runs, so it is not kept otherwise) and the map.
    reachable = [url_for("canvass.my_lists"), url_for("canvass.list_map", walk_list_id=walk_list_id)]
    # the map's files too (every one: a module the map imports that is not kept breaks it offline)
    return render_template("canvass/list.html", walk_list=walk_list, precache=_list_urls(walk_list_id) + reachable,
                           map_assets=[url_for("static", filename=name) for name in MAP_FILES])


@bp.get("/lists/<int:walk_list_id>/map")
@roles_required(*CANVASS_ROLES)
def list_map(walk_list_id: int):
    walk_list = _walk_list(walk_list_id)
    return render_template("canvass/map.html", walk_list=walk_list, maps=settings().maps,
                           precache=[url_for("canvass.list_map", walk_list_id=walk_list_id)])


def _code() -> str:
    return request.form.get("code", "").strip().upper()[:16]


# Like sign-in (app/auth/throttle.py): a stranger's wrong PINs for a list never lock out the
# volunteer who holds its PIN; they only slow other new devices down for at most a minute.
@bp.route("/join", methods=["GET", "POST"])
@throttle.guessing_limits("pin", subject=_code, pair_scope="pin-code", address_setting="pin_rate_limit",
                          pair_setting="pin_code_rate_limit", failures_setting="pin_code_failures")
def join():
    form = JoinForm()
    if request.method == "GET":
        form.code.data = form.code.data or request.args.get("code", "")
    status = 200
    if form.validate_on_submit():
        session = get_session()
        pin = check_pin(session, code=form.code.data, pin=form.pin.data)
        code = form.code.data.strip().upper()[:16]
        write_transaction(session, lambda s: audit(
            s, action="pin.join" if pin else "pin.join_failed", actor_label=f"pin:{pin.id}" if pin else "",
            target=f"walk_list:{pin.walk_list_id}" if pin else f"code:{code}"))
        if pin is not None:
            login_user(PinPrincipal(pin))
            return redirect(url_for("canvass.list_page", walk_list_id=pin.walk_list_id))
        form.pin.errors.append("That list code and PIN do not match an open list. Check both with your organiser.")
        status = 401
    elif request.method == "POST":
        status = 422
    response = Response(render_template("canvass/join.html", form=form), status=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def _shell_version(key: str, names) -> str:
    cached = current_app.extensions.get(key)
    if cached is None or current_app.debug:
        digest = hashlib.sha256()
        for name in tuple(names) + ("canvass/sw.js",):
            digest.update((STATIC / name).read_bytes())
        cached = current_app.extensions[key] = digest.hexdigest()[:12]
    return cached


def worker_response(*, key: str, shell_files, extra_files=(), home: str, cache_prefix: str = "legwork-shell-",
                    data_paths=("/api/lists",), skip=("/canvass/join", "/canvass/sw.js")) -> Response:
    """The one service worker (static/canvass/sw.js) with a page family's shell list, version and
    data URLs prepended; the canvass pages and the teller pages each register their own copy."""
    import json

    shell = [url_for("static", filename=name) for name in shell_files]
    config = {"version": _shell_version(key, tuple(shell_files) + tuple(extra_files)), "shell": shell, "home": home,
              "login": url_for("auth.login"), "cachePrefix": cache_prefix, "dataPaths": list(data_paths),
              "skip": list(skip)}
    body = f"self.LEGWORK = {json.dumps(config)};\n" + (STATIC / "canvass" / "sw.js").read_text()
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sw.js")
def service_worker():
    """The worker, with this build's shell list and version prepended (a new build replaces the cache)."""
    return worker_response(key="legwork_sw_version", shell_files=SHELL_FILES, extra_files=MAP_FILES,
                           home=url_for("canvass.my_lists"))
