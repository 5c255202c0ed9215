"""The canvasser's list page critical path (scripts/bench/loadtest.py, part 3): the bytes, raw and
gzipped, of the HTML, stylesheets, scripts with every module they import, and a 60-door list's data."""
from __future__ import annotations

import gzip
import posixpath
import re
import shutil
import tempfile
from pathlib import Path


def critical_path() -> dict:
    """Bytes the list page needs before it shows doors: HTML, CSS, JS and a 60-door list's data."""
    from app import create_app, db as dbmod
    from app.models import Assignment, Household, Person, User, WalkList, WalkListDoor

    tmp = Path(tempfile.mkdtemp(prefix="legwork-cp-"))
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp / 'cp.db'}", "SECRET_KEY": "cp", "TESTING": True,
                      "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    dbmod.create_all(app)
    from werkzeug.security import generate_password_hash
    with dbmod.session_scope(app) as s:
        user = User(email="cp@load.test", roles="canvasser", password_hash=generate_password_hash("x" * 12, method="pbkdf2:sha256:1000"))
        wl = WalkList(name="Ward 9 · 14", code="CPCPCP", door_count=60, est_minutes=95)
        s.add_all([user, wl])
        s.flush()
        for i in range(60):
            h = Household(street=f"{['Elm', 'Oak', 'Ash'][i // 20]} Street", house_number=str(i % 20 + 1), lon=-71.1, lat=42.3)
            s.add(h)
            s.flush()
            s.add_all([Person(household_id=h.id, first_name="Firstname", last_name=f"Surname{j}") for j in range(2)])
            s.add(WalkListDoor(walk_list_id=wl.id, household_id=h.id, position=i))
        s.add(Assignment(walk_list_id=wl.id, user_id=user.id))
        list_id = wl.id
    client = app.test_client()
    client.post("/login", data={"email": "cp@load.test", "password": "x" * 12})
    html = client.get(f"/canvass/lists/{list_id}").get_data()
    parts = {"list page HTML": html, "GET /api/lists (60 doors, 120 people)": client.get(f"/api/lists/{list_id}").get_data()}
    # The page's stylesheets and scripts, and every module those scripts import (static imports are
    # fetched before the page's script runs; the list's sheet, icons and outbox come that way).
    todo = [u.decode() for u in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)]
    while todo:
        url = todo.pop(0)
        if url in parts:
            continue
        parts[url] = client.get(url).get_data()
        if url.endswith(".js"):
            todo += [posixpath.normpath(posixpath.join(posixpath.dirname(url), m.decode()))
                     for m in re.findall(rb'^import\s[^;]*?from\s+"(\.[^"]+)"', parts[url], re.M)]
    shutil.rmtree(tmp, ignore_errors=True)
    return {name: (len(body), len(gzip.compress(body, 6))) for name, body in parts.items()}
