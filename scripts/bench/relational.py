#!/usr/bin/env python
"""Benchmark people you know: 100 listed friends matched against a made-up 100,000-person register,
on SQLite and PostgreSQL. Target (BENCHMARKS): at most 1 s for the 100.

    .venv/bin/python -m scripts.bench.relational                       # SQLite, then PostgreSQL
    .venv/bin/python -m scripts.bench.relational --database-url postgresql://postgres@127.0.0.1:5432/test_friends
    .venv/bin/python -m scripts.bench.relational --no-postgres [--repeat 7]

Everything is generated (nobody in it exists): 20 postcode areas "ZZ1".."ZZ20" of 200 postcodes
each, 40,000 households on 1,000 streets, 100,000 people with syllable-built names. The 100
friends are register people typed the way volunteers type: 55 as on the register with the postcode
(any spacing or case), 20 with a nickname or a typo, 10 with a postcode elsewhere in the area,
15 with a street ("12 Brackley Rd") and no postcode. Timed: ``match_many`` for all 100 in a
fresh session (reading the register's postcodes and streets included) with the name caches
emptied, median and worst of --repeat runs after a warm-up (wall clock, and this process's CPU
time: on a busy machine the two differ most); and how many were offered the right person.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import sqlalchemy as sa

from app import db as dbmod
from app.config import settings
from app.models import Household, Person, utcnow
from app.relational.matching import Wanted, match_many
from app.relational.names import jaro_winkler, name_tokens, street_key
from scripts.bench.maps import make_app, throw_away

PG_URL = "postgresql://postgres@127.0.0.1:5432/test_friends"
PEOPLE, HOUSEHOLDS, AREAS, POSTCODES_PER_AREA, STREETS = 100_000, 40_000, 20, 200, 1_000
TARGET_S = 1.0
SYLLABLES = ("an", "bel", "cor", "dra", "el", "fen", "gar", "hol", "is", "jor", "kel", "lin", "mor", "nes", "or",
             "pel", "quin", "ros", "sel", "tor", "ul", "ven", "wil", "yar", "zen")
SUFFIXES = ("Road", "Street", "Lane", "Avenue", "Close", "Gardens", "Terrace", "Way", "Drive", "Place")
SHORT = {"Road": "Rd", "Street": "St", "Lane": "Ln", "Avenue": "Ave", "Terrace": "Tce", "Drive": "Dr"}


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def build_register(session, *, seed: int = 5) -> None:
    rng = random.Random(seed)
    firsts = sorted({_word(rng, rng.choice((2, 3))) for _ in range(400)})
    lasts = sorted({_word(rng, 3) for _ in range(3000)})
    streets = sorted({f"{_word(rng, 2)} {rng.choice(SUFFIXES)}" for _ in range(STREETS * 2)})[:STREETS]
    postcodes = [f"ZZ{a} {d}{x}{y}" for a in range(1, AREAS + 1) for d, x, y in
                 ((i % 10, "ABDEFGHJLN"[i // 10 % 10], "PQRSTUWXYZ"[i // 100 % 10]) for i in range(POSTCODES_PER_AREA))]
    households = []
    for n in range(HOUSEHOLDS):
        households.append(dict(id=n + 1, house_number=str(rng.randint(1, 300)), street=rng.choice(streets),
                               postcode=rng.choice(postcodes), building_key=f"h{n}", suffix="", unit="", city=""))
    people = []
    for n in range(PEOPLE):
        people.append(dict(id=n + 1, household_id=rng.randint(1, HOUSEHOLDS), first_name=rng.choice(firsts),
                           last_name=rng.choice(lasts), phone=None, phone_type=""))
    now = utcnow()
    conn = session.connection()
    for chunk in range(0, HOUSEHOLDS, 5000):
        conn.execute(sa.insert(Household.__table__), [dict(h, created_at=now, updated_at=now)
                                                      for h in households[chunk:chunk + 5000]])
    for chunk in range(0, PEOPLE, 5000):
        conn.execute(sa.insert(Person.__table__), [dict(p, created_at=now, updated_at=now)
                                                   for p in people[chunk:chunk + 5000]])
    session.commit()


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + word[at + 1:] if rng.random() < 0.5 else word[:at] + word[at] + word[at:]


def friends(session, *, seed: int = 9) -> list[tuple[Wanted, int]]:
    """100 (what a volunteer typed, who they meant)."""
    rng = random.Random(seed)
    ids = rng.sample(range(1, PEOPLE + 1), 100)
    rows = {r.id: r for r in session.execute(sa.select(Person.id, Person.first_name, Person.last_name, Household.postcode,
                                                       Household.street, Household.house_number)
                                             .join(Household, Household.id == Person.household_id)
                                             .where(Person.id.in_(ids)))}
    out = []
    for i, pid in enumerate(ids):
        r = rows[pid]
        name, postcode, street = f"{r.first_name} {r.last_name}", r.postcode, ""
        if i < 55:
            postcode = postcode.lower().replace(" ", "") if i % 2 else postcode
        elif i < 75:
            name = f"{r.first_name[:4]} {_typo(rng, r.last_name)}" if i % 2 else f"{r.first_name} {_typo(rng, r.last_name)}"
        elif i < 85:
            postcode = postcode.split()[0] + " 9ZZ"   # elsewhere in the area: a postcode nobody has
        else:
            words = r.street.split()
            street, postcode = f"{r.house_number} {' '.join(words[:-1])} {SHORT.get(words[-1], words[-1])}", ""
        out.append((Wanted(key=i, name=name, postcode=postcode, street=street), pid))
    return out


def run(url: str | None, *, repeat: int) -> dict:
    app, schema = make_app(url)
    try:
        with app.app_context():
            conf = settings()
            with dbmod.session_scope() as session:
                started = time.perf_counter()
                build_register(session)
                built = time.perf_counter() - started
                if schema is None:
                    session.execute(sa.text("ANALYZE"))
                else:
                    session.execute(sa.text("ANALYZE households")), session.execute(sa.text("ANALYZE people"))
                session.commit()
                listed = friends(session)
            times, cpu, found = [], [], {}
            for i in range(repeat + 1):
                # Cold: the name caches emptied (a worker that just started); the database's own
                # caches are warm after the first (untimed) run.
                name_tokens.cache_clear(), jaro_winkler.cache_clear(), street_key.cache_clear()
                with dbmod.session_scope() as session:
                    started, cpu_started = time.perf_counter(), time.process_time()
                    found = match_many(session, [w for w, _ in listed], settings=conf)
                    elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu_started
                if i:  # the first run warms the database's caches
                    times.append(elapsed)
                    cpu.append(cpu_used)
            right = sum(1 for w, pid in listed if found[w.key] and found[w.key].person_id == pid)
            offered = sum(1 for w, _ in listed if found[w.key])
            return {"database": "PostgreSQL" if url else "SQLite", "built_s": built, "median_s": statistics.median(times),
                    "worst_s": max(times), "cpu_s": statistics.median(cpu),
                    "offered": offered, "right": right}
    finally:
        throw_away(app, url, schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL only (default: SQLite, then %s)" % PG_URL)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    urls = [args.database_url] if args.database_url else [None] + ([] if args.no_postgres else [PG_URL])
    for url in urls:
        r = run(url, repeat=args.repeat)
        verdict = "within" if r["worst_s"] <= TARGET_S else "OVER"
        print(f"{r['database']}: 100 friends against {PEOPLE:,} people: median {r['median_s'] * 1000:.0f} ms, "
              f"worst {r['worst_s'] * 1000:.0f} ms of {args.repeat} ({verdict} the {TARGET_S:g} s target); CPU of "
              f"this process {r['cpu_s'] * 1000:.0f} ms median (SQLite's included; not PostgreSQL's), load average "
              f"{os.getloadavg()[0]:.1f}; "
              f"{r['offered']} offered someone, {r['right']} the right person (register built in {r['built_s']:.1f} s)")


if __name__ == "__main__":
    main()
