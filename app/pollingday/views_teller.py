"""The teller's phone pages: choose a polling station, then the keypad screen for it. Both work
offline once seen: the service worker at /polling-day/sw.js (the canvass worker, with the teller
pages' shell) keeps them and the station's electors; tellings go through the canvass outbox
(static/canvass/outbox.js, kind "tellings") to POST /api/tellings."""
from __future__ import annotations

from functools import wraps

from flask import render_template, url_for
from flask_login import current_user

from ..auth.access import may_tell
from ..errors import Forbidden
from ..extensions import login_manager
from ..canvass.views import worker_response
from ..db import get_session
from .blueprint import bp
from .teller import station, station_choices

# Every ES module the teller page imports must be here, or the page breaks offline.
TELLER_SHELL = ("app.css", "tokens.css", "pollingday/teller.css", "pollingday/teller.js",
                "pollingday/teller-rules.js", "canvass/outbox.js", "canvass/sync-rules.js", "canvass/format.js",
                "canvass/signout.js", "favicon.svg")


def teller_required(view):
    """Signed in (else to sign-in) and allowed to tell (app.auth.access.may_tell), else 403."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not may_tell(current_user):
            raise Forbidden("Only tellers and organisers use the teller screen.")
        return view(*args, **kwargs)

    return wrapper


def _worker_urls() -> dict:
    return {"sw_url": url_for("pollingday.service_worker"), "sw_scope": url_for("pollingday.choose_station")}


@bp.get("/teller")
@teller_required
def choose_station():
    return render_template("pollingday/choose_station.html", stations=station_choices(get_session()),
                           precache=[url_for("pollingday.choose_station")], **_worker_urls())


@bp.get("/teller/<int:station_id>")
@teller_required
def teller(station_id: int):
    here = station(get_session(), station_id=station_id)
    electors_url = url_for("api.get_station_electors", station_id=station_id)
    precache = [url_for("pollingday.teller", station_id=station_id), electors_url,
                url_for("pollingday.choose_station")]
    return render_template("pollingday/teller.html", station=here, electors_url=electors_url,
                           precache=precache, **_worker_urls())


@bp.get("/sw.js")
def service_worker():
    """The teller pages' worker (scope /polling-day/teller); the same script as the canvass one."""
    return worker_response(key="legwork_teller_sw_version", shell_files=TELLER_SHELL,
                           home=url_for("pollingday.choose_station"), cache_prefix="legwork-teller-shell-",
                           data_paths=("/api/stations/",), skip=(url_for("pollingday.service_worker"),))
