"""Time the organiser's hot pages on a generated state (single user, through the Flask test client,
whole requests), a universe count over the state, and cutting a 4,000-door precinct.

    python -m scripts.bench.statewide pages --db postgresql://postgres@127.0.0.1:5432/DBNAME [--repeat N] [--queue N]

``--queue N`` first puts N people with a phone in the live call queue (if it is empty) so the phone
bank's home page counts a real queue: it WRITES to the database, so give it a copy
(``createdb -T state250k mycopy``). The pickers' searches are timed as the organiser types them.
The chase pages need an election's ballots, which the generator does not make: ``ballots`` adds
them (the ballot count is printed first).

The cut: inside a transaction that is rolled back, two neighbouring wards' lists are released and
4,000 of their doors put in one precinct, which ``cut_area`` (the organiser's "Preview lists")
then cuts into lists of 50.
"""
from __future__ import annotations

import gc
import json
import os
import re
import statistics
import sys
import time

import sqlalchemy as sa

from app import db as dbmod
from app.walk_lists import cut_area

from .generate import make_app

PASSWORD = "statewide password"
PAGES = [
    "/organiser/", "/organiser/dashboard", "/organiser/dashboard?period=7d", "/organiser/dashboard?period=all",
    "/organiser/dashboard?ward={ward}", "/organiser/dashboard?ward={ward}&period=all",
    "/organiser/lists", "/organiser/lists?area=ward:{ward}&state=in_progress", "/organiser/lists/{list}",
    "/maps/?ward={ward}", "/maps/neighbourhoods/{hood}", "/maps/city", "/organiser/volunteers",
    "/organiser/audit", "/organiser/audit?action=login&page=3", "/phonebank/", "/organiser/universes/new",
    # found slow at state size in session 13 (one load each)
    "/recruiting", "/polling-day/chase", "/organiser/people-you-know", "/organiser/follow-ups",
    # with ballots loaded (``ballots``): the state's chase and one ward's (the by-status table is the area's)
    "/polling-day/chase?ward={ward}",
    # the state's table, fetched by the page's script: the first call counts (and keeps the count in
    # ballot_tallies, the one write here), the timed ones are answered from it while it is fresh
    "/polling-day/chase/counts",
]
# Added with issue 22's pickers: a run against an older commit (a before/after) leaves them out.
SEARCHES = [
    "/organiser/pickers/areas?q=ward%205", "/organiser/pickers/areas?q=W0050", "/organiser/pickers/areas?q=precinct",
    "/organiser/lists/{list}/assignable?q=an", "/organiser/lists/{list}/assignable?q=volunteer00012",
]
# Added with issue 22's statewide map: the ward shapes apart from the page (an older commit: 404,
# left out). An answer with an ETag is timed again as a browser that has it asks (If-None-Match).
ADDED = ["/maps/city/wards.json"]
UNIVERSES = {
    "everyone (the state)": {"kind": "and", "of": []},
    "never reached at the door (the state)": {"kind": "never_reached", "channel": "door"},
    "supporters with a phone in a ward": {"kind": "and", "of": [
        {"kind": "ward", "ids": ["WARD"]}, {"kind": "support", "levels": ["1", "2"]}, {"kind": "has_phone"}]},
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(repeat: int, call) -> tuple[float, float, object]:
    first = call()  # warm-up
    took = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        took.append(time.perf_counter() - start)
    return statistics.median(took), percentile(took, 0.95), first


def _places(engine) -> dict:
    with engine.connect() as conn:
        ward = conn.execute(sa.text("SELECT id FROM wards ORDER BY id OFFSET (SELECT count(*) / 2 FROM wards) LIMIT 1")).scalar_one()
        hood = conn.execute(sa.text("SELECT min(id) FROM neighbourhoods WHERE ward_id = :w"), {"w": ward}).scalar_one()
        walk = conn.execute(sa.text("SELECT min(id) FROM walk_lists WHERE ward_id = :w AND status = 'active'"),
                            {"w": ward}).scalar_one()
        sizes = {t: conn.execute(sa.text(f"SELECT reltuples::bigint FROM pg_class WHERE relname = '{t}'")).scalar_one()
                 for t in ("households", "people", "contact_events", "walk_lists", "users", "audit_log", "call_queue")}
        # exact: the chase page's figures depend on it, and none is a state the generator made
        sizes["ballot_statuses"] = conn.execute(sa.text("SELECT count(*) FROM ballot_statuses")).scalar_one()
    hint = "" if sizes["ballot_statuses"] else " (none: the 'ballots' command gives the state an election's)"
    print(f"  ballots: {sizes['ballot_statuses']:,}{hint}", file=sys.stderr, flush=True)
    return {"ward": ward, "hood": hood, "list": walk, "sizes": sizes}


def _cut(app, places, repeat: int) -> tuple[float, float, int, int]:
    """Median seconds (wall, and this process's CPU: on a shared machine the wall is mostly the
    load), doors and lists of cut_area over one 4,000-door precinct (rolled back)."""
    with app.app_context():
        session = dbmod.get_session()
        took, cpu, doors, lists = [], [], 0, 0
        for _ in range(repeat + 1):
            conn = session.connection()
            wards = [places["ward"], places["ward"] + 1]
            conn.execute(sa.text("UPDATE walk_lists SET status = 'released' WHERE ward_id = ANY(:w)"), {"w": wards})
            conn.execute(sa.text("UPDATE households SET neighbourhood_id = :h WHERE id IN (SELECT id FROM households "
                                 "WHERE ward_id = ANY(:w) ORDER BY id LIMIT 4000)"), {"h": places["hood"], "w": wards})
            start, start_cpu = time.perf_counter(), time.process_time()
            proposal = cut_area(session, neighbourhood_id=places["hood"], target_size=50)
            took.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            doors = sum(len(t.household_ids) for t in proposal.turfs)
            lists = len(proposal.turfs)
            session.rollback()
        session.close()
    return statistics.median(took[1:]), statistics.median(cpu[1:]), doors, lists


def _fill_queue(engine, size: int) -> None:
    """``size`` people with a phone waiting in the live queue, unless some already wait."""
    with engine.begin() as conn:
        if conn.execute(sa.text("SELECT count(*) FROM call_queue WHERE status = 'queued'")).scalar_one():
            return
        conn.execute(sa.text(
            "INSERT INTO call_queue (person_id, phone, timezone, priority, status, passes, created_at) "
            "SELECT id, phone, 'America/New_York', 0, 'queued', 0, now() FROM people "
            "WHERE phone IS NOT NULL AND phone_retired_at IS NULL ORDER BY id LIMIT :n"), {"n": size})
        conn.execute(sa.text("ANALYZE call_queue"))


def run(url: str, repeat: int, only: list[str] | None = None, queue: int = 0) -> dict:
    """only: time just the pages, universes or cut whose description holds one of these strings;
    queue: first fill the call queue with this many (a write: use a copy of the state)."""

    def wanted(what: str) -> bool:
        return not only or any(o in what for o in only)

    app = make_app(url)
    engine = dbmod.engine_for(app)
    if queue:
        _fill_queue(engine, queue)
    places = _places(engine)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    assert client.post("/login", data={"email": "organiser@example.org", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    token = re.search(r'name="csrf-token" content="([^"]+)"',
                      client.get("/organiser/").get_data(as_text=True)).group(1)
    # As each gunicorn worker does (app/gunicorn_conf.py): without it a full collection walks the
    # app's ~200,000 long-lived objects (150-200 ms at load 6), landing on whichever page is timed.
    gc.freeze()
    rows = []
    for path in filter(wanted, PAGES + ADDED + SEARCHES):
        url_path = path.format(**places)
        first = client.get(url_path)
        if first.status_code == 404 and path in SEARCHES + ADDED:
            print(f"  {path}: not in this commit (404), left out", file=sys.stderr, flush=True)
            continue  # a before/after run: the commit before had no such page
        p50, p95, first = _timed(repeat, lambda: client.get(url_path))
        assert first.status_code == 200, (url_path, first.status_code, first.get_data(as_text=True)[:300])
        rows.append({"what": path, "p50_ms": p50 * 1000, "p95_ms": p95 * 1000, "bytes": len(first.get_data())})
        _say(rows[-1])
        if first.headers.get("ETag"):
            asked = {"If-None-Match": first.headers["ETag"]}
            p50, p95, again = _timed(repeat, lambda: client.get(url_path, headers=asked))
            assert again.status_code == 304, (url_path, again.status_code)
            rows.append({"what": f"{path} (If-None-Match: 304)", "p50_ms": p50 * 1000, "p95_ms": p95 * 1000,
                         "bytes": len(again.get_data())})
            _say(rows[-1])
    for name, tree in UNIVERSES.items():
        if not wanted(f"universe count: {name}"):
            continue
        body = {"definition": json.loads(json.dumps(tree).replace('"WARD"', str(places["ward"])))}
        p50, p95, first = _timed(repeat, lambda: client.post("/organiser/universes/count", json=body,
                                                             headers={"X-CSRFToken": token}))
        assert first.status_code == 200, first.get_data(as_text=True)[:200]
        rows.append({"what": f"universe count: {name}", "p50_ms": p50 * 1000, "p95_ms": p95 * 1000,
                     "bytes": len(first.get_data()), "people": first.get_json().get("people")})
        _say(rows[-1])
    if wanted("cut_area"):
        took, cpu, doors, lists = _cut(app, places, max(1, repeat // 3))
        rows.append({"what": f"cut_area of a 4,000-door precinct ({doors:,} doors cut, {lists} lists; "
                             f"CPU {cpu * 1000:,.0f} ms)",
                     "p50_ms": took * 1000, "p95_ms": None, "bytes": 0})
        _say(rows[-1])
    engine.dispose()
    return {"sizes": places["sizes"], "rows": rows, "load": os.getloadavg()}


def _say(row: dict) -> None:
    p95 = f"{row['p95_ms']:8.0f}" if row["p95_ms"] is not None else "       -"
    print(f"  {row['what'][:70]:70} p50 {row['p50_ms']:8.0f} ms  p95 {p95} ms  {row['bytes']:>10,} B  "
          f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
