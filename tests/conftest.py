"""Shared fixtures: app, client, runner, auth, db, factories, shared data, live server, browser.

Each test gets a fresh database: a temporary SQLite file, or, when LEGWORK_TEST_DATABASE_URL
is set, a fresh schema on that PostgreSQL server (so parallel runs never meet).
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from app import create_app
from app import db as dbmod
from tests.support.env import PG_URL, ROOT
from tests.support.fresh_db import copy_sqlite_template, empty_pg_schema, make_sqlite_template
from tests.support.servers import serve_in_thread
from tests.support.web import PASSWORD, TEST_HASH_METHOD, AuthActions, FreshContextClient
from tests.support.write_guard import write_guard  # noqa: F401  (autouse: app code writes only in write_transaction)

# Under CI, property tests draw the same examples every run (and keep no example database), so a
# submission cannot fail on a new random draw; locally they keep exploring.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    _hypothesis_settings.load_profile("ci")

# Tests marked slow (real servers under load, faults) get this per-test timeout instead of the default
# in pyproject.toml; an explicit @pytest.mark.timeout(N) wins over both.
SLOW_TIMEOUT_S = 600


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT_S))


# ---- shared data (../shared/data) -------------------------------------------------------
def shared_data_dir() -> Path:
    return Path(os.environ.get("LEGWORK_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture
def shared_data() -> Path:
    path = shared_data_dir()
    if not (path / "cambridge-ma" / "addresses.csv").exists():
        reason = f"real geography not found at {path} (set LEGWORK_SHARED_DATA)"
        if os.environ.get("LEGWORK_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(reason + "; LEGWORK_REQUIRE_SHARED_DATA=1 makes this a failure")
        pytest.skip(reason)
    return path


# ---- app and database -------------------------------------------------------------------
@pytest.fixture(scope="session")
def _pg_schema():
    """One PostgreSQL schema per test run (parallel runs never meet); tables made once."""
    if not PG_URL:
        yield None
        return
    from sqlmodel import SQLModel

    schema = "t_" + uuid.uuid4().hex[:16]
    admin = sa.create_engine(dbmod.database_url_from(PG_URL), pool_pre_ping=True)  # survives a server restart
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = dbmod.make_engine(dbmod.database_url_from(PG_URL), schema=schema)
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    yield schema
    with admin.begin() as conn:
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory, _pg_schema):
    """The tables made once per run; each test's database is a copy (tests/support/fresh_db.py)."""
    if _pg_schema:
        return None
    return make_sqlite_template(tmp_path_factory.mktemp("template") / "template.db")


@pytest.fixture(scope="session")
def _smtp_server():
    from tests.support.smtp import start_smtp

    controller, inbox = start_smtp()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def smtp(_smtp_server):
    """The in-process SMTP server's inbox, empty at the start of the test."""
    _smtp_server[1].clear()
    yield _smtp_server[1]
    _smtp_server[1].clear()


@pytest.fixture
def app(tmp_path, request, _pg_schema, _sqlite_template, _smtp_server):
    config = {
        "MAIL": {"server": "127.0.0.1", "port": _smtp_server[0].port},
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": False,
        "PASSWORD_HASH_METHOD": TEST_HASH_METHOD,
    }
    extra = getattr(request, "param", None) or {}
    if _pg_schema:
        config.update(DATABASE_URL=PG_URL, DATABASE_SCHEMA=_pg_schema)
    else:
        copy_sqlite_template(_sqlite_template, tmp_path / "test.db")
        config["DATABASE_URL"] = f"sqlite:///{tmp_path / 'test.db'}"
    config.update(extra)
    application = create_app(config)
    application.instance_path = str(tmp_path / "instance")
    application.test_client_class = FreshContextClient
    if _pg_schema:
        empty_pg_schema(dbmod.engine_for(application))
    yield application
    dbmod.engine_for(application).dispose()


@pytest.fixture
def client(app):
    app.test_client_class = FreshContextClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """A session on the test database, inside an app context."""
    from sqlmodel import Session

    with app.app_context():
        session = Session(dbmod.engine_for(app), expire_on_commit=False)
        yield session
        session.close()


# ---- factories ---------------------------------------------------------------------------
@pytest.fixture
def make_user(db):
    from werkzeug.security import generate_password_hash

    from app.models import User

    hashed = generate_password_hash(PASSWORD, method=TEST_HASH_METHOD)

    def make(email: str | None = None, roles: str = "canvasser", password: str | None = PASSWORD, **kw):
        user = User(email=email or f"{uuid.uuid4().hex[:8]}@example.org", roles=roles,
                    password_hash=hashed if password == PASSWORD else (
                        generate_password_hash(password, method=TEST_HASH_METHOD) if password else None), **kw)
        db.add(user)
        db.commit()
        return user

    return make


@pytest.fixture
def make_ward(db):
    from app.models import Neighbourhood, Ward

    def make(code: str = "W1", name: str | None = None, bounds=(-71.12, 42.36, -71.10, 42.38),
             neighbourhoods: int = 2):
        """A rectangular ward (degrees: west, south, east, north) cut into vertical strips."""
        w, s, e, n = bounds
        ward = Ward(code=code, name=name or f"Ward {code}", boundary=_rect(w, s, e, n))
        db.add(ward)
        db.flush()
        step = (e - w) / max(neighbourhoods, 1)
        for i in range(neighbourhoods):
            db.add(Neighbourhood(code=f"{code}-{i + 1}", name=f"{code} district {i + 1}", ward_id=ward.id,
                                 boundary=_rect(w + i * step, s, w + (i + 1) * step, n)))
        db.commit()
        return ward

    return make


def _rect(w, s, e, n) -> str:
    import json

    return json.dumps({"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]})


@pytest.fixture
def make_team(db):
    from app.models import Team, TeamArea, TeamMember

    counter = iter(range(1, 10**6))

    def make(*, wards=(), neighbourhoods=(), leads=(), members=(), name: str | None = None):
        """A team covering whole wards and/or single neighbourhoods, with its leads and members."""
        team = Team(name=name or f"Team {next(counter)}")
        db.add(team)
        db.flush()
        for ward in wards:
            db.add(TeamArea(team_id=team.id, ward_id=ward.id))
        for hood in neighbourhoods:
            db.add(TeamArea(team_id=team.id, neighbourhood_id=hood.id))
        for user in leads:
            db.add(TeamMember(team_id=team.id, user_id=user.id, is_lead=True))
        for user in members:
            db.add(TeamMember(team_id=team.id, user_id=user.id))
        db.commit()
        return team

    return make


@pytest.fixture
def make_household(db):
    from app.models import Household, Neighbourhood

    counter = iter(range(1, 10**6))

    def make(ward=None, *, street: str = "Elm St", house_number: str | None = None, lon: float = -71.11,
             lat: float = 42.37, people: int = 1, phone: str | None = None, **kw):
        from app.models import Person

        n = next(counter)
        neighbourhood_id = kw.pop("neighbourhood_id", None)
        if ward is not None and neighbourhood_id is None:
            hoods = db.exec(sa.select(Neighbourhood).where(Neighbourhood.ward_id == ward.id)).scalars().all()
            neighbourhood_id = hoods[0].id if hoods else None
        household = Household(street=street, house_number=house_number or str(n), lon=lon, lat=lat,
                              ward_id=ward.id if ward else None, neighbourhood_id=neighbourhood_id,
                              building_key=kw.pop("building_key", f"b{n}"), **kw)
        db.add(household)
        db.flush()
        for i in range(people):
            db.add(Person(household_id=household.id, first_name=f"Pat{n}", last_name=f"Example{i}",
                          phone=phone if phone is not None else f"+1617555{n:04d}"[:12] if i == 0 else None,
                          phone_type="mobile"))
        db.commit()
        return household

    return make


@pytest.fixture
def make_walk_list(db):
    from app.models import Assignment, WalkList, WalkListDoor

    def make(households, *, name: str = "Test list", assign_to=None, ward=None):
        walk_list = WalkList(name=name, code=uuid.uuid4().hex[:8].upper(), door_count=len(households),
                             ward_id=ward.id if ward else None)
        db.add(walk_list)
        db.flush()
        for pos, household in enumerate(households):
            db.add(WalkListDoor(walk_list_id=walk_list.id, household_id=household.id, position=pos))
        for user in ([assign_to] if assign_to is not None and not isinstance(assign_to, list) else assign_to or []):
            db.add(Assignment(walk_list_id=walk_list.id, user_id=user.id))
        db.commit()
        return walk_list

    return make


# ---- signing in --------------------------------------------------------------------------
@pytest.fixture
def auth(client, make_user):
    return AuthActions(client, make_user)


# ---- a real server and a real browser ------------------------------------------------------
@pytest.fixture
def live_server(app):
    """The test app served over HTTP on a free loopback port, in a thread; `network` cuts it off."""
    with serve_in_thread(app) as (url, network):
        yield SimpleNamespace(url=url, network=network)


CHROMIUM = os.environ.get("LEGWORK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def _playwright_browser():
    if not Path(CHROMIUM).exists():
        reason = f"Debian's chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(_playwright_browser):
    """A fresh phone-sized browser context (360 px wide), closed after the test."""
    context = _playwright_browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                              is_mobile=True, has_touch=True)
    yield context
    context.close()
