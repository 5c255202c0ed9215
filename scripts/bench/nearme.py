#!/usr/bin/env python
"""Benchmark "canvass near me" on the Cambridge, MA city with half its doors already on active lists.

    LEGWORK_SHARED_DATA=/work/shared/data python -m scripts.bench.nearme \
        [--database-url postgresql://postgres@127.0.0.1:5432/test] [--asks 60] [--concurrent 200]

Builds a fresh database (a temporary SQLite file, or a throw-away schema on PostgreSQL) with the
importers (21,504 addresses), one team covering every ward with self-serve on everywhere, and
walk lists of ~60 doors over every other stretch of each precinct's doors, each held by a
volunteer: half the city's doors are out, and no ready-cut list is free, so every answer is a cut
on the spot. Then, at --asks random doors' locations (60 minutes, 1 km):

- the offer: ``GET /nearme/offer`` through the Flask test client as a signed-in volunteer;
- the take: ``check_out`` in its write transaction (the lock, the offer, the cut saved and assigned),
  each by a different volunteer.

p50/p95 of each (target: p95 ≤ 500 ms). On PostgreSQL, --concurrent volunteers then ask at once
over one precinct (threads, each with its own session); the report counts lists, "nothing near"
answers and doors on two active lists (must be 0).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session
from werkzeug.security import generate_password_hash

from app import db as dbmod
from app.config import settings
from app.models import (Assignment, Household, ListStatus, Team, TeamArea, TeamMember, TeamSelfServe, User, Ward,
                        WalkList, WalkListDoor)
from app.nearme.operations import NothingNear, check_out
from scripts.bench.maps import load_city, machine, make_app, throw_away

TARGET_S = 0.5
PASSWORD = "bench password"


def seed(session, *, volunteers: int) -> tuple[int, int, list[int]]:
    """The team (all wards, self-serve on), its volunteers, and half the doors on held lists:
    (team id, doors taken, volunteer ids)."""
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    users = [dict(email=f"v{i}@bench.example.org", name=f"Volunteer {i}", roles="volunteer", password_hash=hashed,
                  is_active=True) for i in range(volunteers + 1)]
    session.execute(sa.insert(User), users)
    ids = list(session.execute(sa.select(User.id).order_by(User.id)).scalars())
    holder, people = ids[0], ids[1:]
    team = Team(name="Cambridge volunteers")
    session.add(team)
    session.flush()
    wards = list(session.execute(sa.select(Ward.id)).scalars())
    session.execute(sa.insert(TeamArea), [dict(team_id=team.id, ward_id=w) for w in wards])
    session.execute(sa.insert(TeamMember), [dict(team_id=team.id, user_id=u, is_lead=False) for u in ids])
    session.add(TeamSelfServe(team_id=team.id, enabled=True, areas=" ".join(f"ward:{w}" for w in wards),
                              return_minutes=45))
    rows = session.execute(sa.select(Household.id, Household.neighbourhood_id, Household.ward_id)
                           .order_by(Household.neighbourhood_id, Household.street, Household.id)).all()
    by_hood: dict = {}
    for row in rows:
        by_hood.setdefault(row.neighbourhood_id, []).append(row)
    taken = 0
    for hood, doors in by_hood.items():
        for k, start in enumerate(range(0, len(doors), 60)):
            if k % 2:
                continue
            chunk = doors[start:start + 60]
            walk = WalkList(name=f"P{hood} · {k + 1}", code=uuid.uuid4().hex[:8].upper(), ward_id=chunk[0].ward_id,
                            neighbourhood_id=hood, door_count=len(chunk), est_minutes=75.0)
            session.add(walk)
            session.flush()
            session.execute(sa.insert(WalkListDoor), [dict(walk_list_id=walk.id, household_id=d.id, position=i)
                                                      for i, d in enumerate(chunk)])
            session.add(Assignment(walk_list_id=walk.id, user_id=holder))
            taken += len(chunk)
    session.commit()
    return team.id, taken, people


def quantiles(times: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(times, n=20, method="inclusive")
    return statistics.median(times), cuts[18]


def run(url: str | None, args) -> list[str]:
    app, schema = make_app(url)
    out = []
    try:
        with app.app_context():
            engine = dbmod.engine_for(app)
            with Session(engine, expire_on_commit=False) as session:
                load_city(session, Path(os.environ.get("LEGWORK_SHARED_DATA", "../shared/data")))
                team_id, taken, people = seed(session, volunteers=args.asks + args.concurrent + 1)
                if url:  # a live database has planner statistics (autovacuum); one just bulk-loaded has none
                    session.execute(sa.text("ANALYZE"))
                    session.commit()
                total = session.execute(sa.select(sa.func.count(Household.id))).scalar_one()
                points = [tuple(r) for r in session.execute(sa.select(Household.lat, Household.lon)
                                                            .where(Household.lat.is_not(None)))]
            rng = random.Random(5)
            asks = rng.sample(points, args.asks)
            config = settings().selfserve
            # the offer, as the volunteer's phone asks for it
            client = app.test_client()
            page = client.get("/login").get_data(as_text=True)
            token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
            assert client.post("/login", data={"email": f"v{args.asks + args.concurrent + 1}@bench.example.org",
                                               "password": PASSWORD, "csrf_token": token}).status_code == 302
            offer_times = []
            for lat, lon in [asks[0]] + asks:  # the first is a warm-up
                start = time.perf_counter()
                response = client.get("/nearme/offer", query_string={"minutes": 60, "km": 1, "lat": lat, "lon": lon})
                offer_times.append(time.perf_counter() - start)
                assert response.status_code == 200 and b"Take it" in response.data, response.data[:300]
            offer_times = offer_times[1:]
            # the take: find, cut and save in one write transaction, each by another volunteer
            take_times, doors_taken = [], []
            with Session(engine, expire_on_commit=False) as session:
                for (lat, lon), user_id in zip(asks, people):
                    user = session.get(User, user_id)
                    start = time.perf_counter()
                    walk_list, _ = dbmod.write_transaction(session, lambda s: check_out(
                        s, user=user, team_ids=[team_id], lat=lat, lon=lon, minutes=60, max_km=1.0, config=config))
                    take_times.append(time.perf_counter() - start)
                    doors_taken.append(walk_list.door_count)
            name = "PostgreSQL" if url else "SQLite"
            p50, p95 = quantiles(offer_times)
            t50, t95 = quantiles(take_times)
            out.append(f"{name}: {total} doors, {taken} on held lists ({100 * taken / total:.0f}%); "
                       f"{args.asks} asks at random doors, 60 min, 1 km")
            out.append(f"  offer (GET /nearme/offer): p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
                       f"({'meets' if p95 <= TARGET_S else 'MISSES'} ≤ {TARGET_S * 1000:.0f} ms)")
            out.append(f"  take (check_out, cut on the spot): p50 {t50 * 1000:.0f} ms, p95 {t95 * 1000:.0f} ms "
                       f"({'meets' if t95 <= TARGET_S else 'MISSES'}); {statistics.mean(doors_taken):.0f} doors a list")
            if url and args.concurrent:
                out.append("  " + concurrent(app, engine, people[args.asks:args.asks + args.concurrent], team_id, config))
    finally:
        throw_away(app, url, schema)
    return out


def concurrent(app, engine, user_ids: list[int], team_id: int, config) -> str:
    """``len(user_ids)`` volunteers ask at once at one spot; lists, refusals, overlapping doors."""
    with Session(engine) as session:
        users = [session.get(User, u) for u in user_ids]
        hood = session.execute(sa.select(Household.neighbourhood_id, sa.func.avg(Household.lat), sa.func.avg(Household.lon))
                               .group_by(Household.neighbourhood_id).order_by(sa.func.count().desc())).first()
    # The threads' own pool: they wait for a connection as long as it takes (the app's pool gives
    # up after 30 s), as requests would wait in gunicorn's queue.
    clients = sa.create_engine(engine.url, pool_size=10, max_overflow=0, pool_timeout=3600,
                               connect_args={"options": f"-csearch_path={app.config['DATABASE_SCHEMA']}"})
    barrier = threading.Barrier(len(users))
    answers, lock = [], threading.Lock()

    def ask(user):
        barrier.wait()
        with app.app_context(), Session(clients, expire_on_commit=False) as session:
            try:
                walk_list, _ = dbmod.write_transaction(session, lambda s: check_out(
                    s, user=user, team_ids=[team_id], lat=hood[1], lon=hood[2], minutes=30, max_km=0.3, config=config),
                    attempts=20)
                answer = "list"
            except NothingNear:
                answer = "nothing near"
        with lock:
            answers.append(answer)

    threads = [threading.Thread(target=ask, args=(u,)) for u in users]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    clients.dispose()
    with Session(engine) as session:
        doors = session.execute(sa.select(WalkListDoor.household_id).join(WalkList, WalkList.id == WalkListDoor.walk_list_id)
                                .where(WalkList.status == ListStatus.ACTIVE)).scalars().all()
    overlapping = sum(1 for _, n in Counter(doors).items() if n > 1)
    counts = Counter(answers)
    return (f"{len(users)} at once over precinct {hood[0]} (30 min, 0.3 km): {counts['list']} lists, "
            f"{counts['nothing near']} 'nothing near', {len(users) - len(answers)} unanswered, "
            f"{overlapping} doors on two active lists; {elapsed:.1f} s in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="PostgreSQL URL (default: SQLite only)")
    parser.add_argument("--asks", type=int, default=60)
    parser.add_argument("--concurrent", type=int, default=200)
    args = parser.parse_args()
    print(machine())
    for url in [None] + ([args.database_url] if args.database_url else []):
        print("\n".join(run(url, args)), flush=True)


if __name__ == "__main__":
    main()
