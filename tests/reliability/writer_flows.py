"""Every writing route of the app, driven over HTTP as a person would, for
``test_write_routes.py``: seed data, a door-knock stream, and one pass over the routes that checks
each answer and that the write it made is in the database."""
from __future__ import annotations

import json
import re
import threading
import time
import uuid
from datetime import datetime, timezone

import requests
import sqlalchemy as sa

from tests.support.gunicorn import PASSWORD, TOKEN_RE

FIELD_TOKEN_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BOX = (-71.099, 42.36, -71.08, 42.38)  # the seeded ward; the fault lists' doors (-71.1, 42.37) are outside it


def _rect(w, s, e, n) -> dict:
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def seed_people(env: dict) -> dict:
    """An organiser, a caller, two volunteers and a ward of 30 households with a resident each."""
    from sqlmodel import Session
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app import db as dbmod
    from app.models import Household, Person, User, Ward

    app = create_app({"TESTING": True, "DATABASE_URL": env["LEGWORK_DATABASE_URL"],
                      "DATABASE_SCHEMA": env.get("LEGWORK_DATABASE_SCHEMA")})
    hashed = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
    with Session(dbmod.engine_for(app)) as session:
        users = {role: User(email=f"{role}@routes.test", roles=roles, password_hash=hashed)
                 for role, roles in (("organiser", "organiser"), ("caller", "caller"),
                                     ("volunteer", "canvasser"), ("changer", "canvasser"))}
        ward = Ward(code="R1", name="Ward R1", boundary=json.dumps(_rect(*BOX)))
        session.add_all([*users.values(), ward])
        session.flush()
        for n in range(30):
            # a 6 x 5 grid: 30 doors zig-zagging along a line once hit an IndexError in
            # walklists' polish step (a 500 of its own, not this test's subject)
            home = Household(street="Route St", house_number=str(n + 1), lon=-71.095 + (n % 6) * 0.0007,
                             lat=42.366 + (n // 6) * 0.0007, ward_id=ward.id)
            session.add(home)
            session.flush()
            session.add(Person(household_id=home.id, first_name=f"Ro{n}", last_name="Ute",
                               phone=f"+1617555{n:04d}", phone_type="mobile"))
        session.commit()
        out = {role: user.id for role, user in users.items()} | {"ward": ward.id}
    dbmod.engine_for(app).dispose()
    return out


class DoorKnocks:
    """Phones that post fresh door knocks in batches until stopped, counting answers."""

    def __init__(self, base: str, specs: list[dict], *, batch: int = 10):
        self.base, self.specs, self.batch = base, specs, batch
        self.stop = threading.Event()
        self.posts = 0
        self.server_errors: list[tuple[int, str]] = []
        self.threads = [threading.Thread(target=self._run, args=(spec,)) for spec in specs]

    def _run(self, spec: dict) -> None:
        http = requests.Session()
        page = http.get(self.base + "/login", timeout=10).text
        http.post(self.base + "/login", data={"email": spec["email"], "password": PASSWORD,
                                              "csrf_token": TOKEN_RE.search(page).group(1)}, timeout=10)
        token = TOKEN_RE.search(http.get(self.base + "/canvass/", timeout=10).text).group(1)
        homes = spec["households"]
        while not self.stop.is_set():
            stamp = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
            chunk = [{"id": str(uuid.uuid4()), "household_id": homes[i % len(homes)], "code": "not_home",
                      "walk_list_id": spec["list"], "recorded_at": stamp} for i in range(self.batch)]
            response = http.post(self.base + "/api/outcomes", json={"outcomes": chunk},
                                 headers={"X-CSRFToken": token}, timeout=30)
            self.posts += 1
            if response.status_code >= 500:
                self.server_errors.append((response.status_code, response.text[:200]))

    def __enter__(self):
        self.started = time.monotonic()
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)
        self.seconds = time.monotonic() - self.started


class Person:
    """One signed-in browser: GETs a page for its CSRF token, then POSTs the form."""

    def __init__(self, base: str, log: list):
        self.base, self.log, self.http = base, log, requests.Session()

    def token(self, path: str) -> str:
        html = self.http.get(self.base + path, timeout=30).text
        found = TOKEN_RE.search(html) or FIELD_TOKEN_RE.search(html)
        return found.group(1) if found else ""

    def post(self, name: str, path: str, expect: int, *, token_from: str, data=None, files=None):
        data = {**(data or {}), "csrf_token": self.token(token_from)}
        response = self.http.post(self.base + path, data=data, files=files, timeout=30, allow_redirects=False)
        self.log.append((name, response.status_code, expect, response.text[:300] if response.status_code != expect else ""))
        return response

    def get(self, name: str, path: str, expect: int):
        response = self.http.get(self.base + path, timeout=30, allow_redirects=False)
        self.log.append((name, response.status_code, expect, response.text[:300] if response.status_code != expect else ""))
        return response

    def sign_in(self, email: str, password: str = PASSWORD):
        return self.post("login", "/login", 302, token_from="/login", data={"email": email, "password": password})


def count(engine, sql: str, **params) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar_one()
