#!/usr/bin/env python
"""Benchmark: a made-up 77,000-elector register (a constituency) imported with
``import-register`` into an empty database, then again (every elector an update), on SQLite and
PostgreSQL. Target: 77,000 rows in at most 60 s.

    .venv/bin/python -m scripts.bench.register               # SQLite, then PostgreSQL; prints
    .venv/bin/python -m scripts.bench.register --write       # ... and writes BENCHMARKS.md
    .venv/bin/python -m scripts.bench.register --no-postgres

Everything is generated: 60 square polling districts ("AA".."CH") on a grid, 3,000 fictional
"ZZ" postcodes with centroids inside them, about 20,700 households, 77,000 electors with
fictional names (some with suffixes, some postal or proxy). Nobody in it exists.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import string
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa

from app import db as dbmod
from app.models import Elector, Neighbourhood, Ward
from app.pollingday.register import import_register
from scripts.bench._benchmarks import write_section
from scripts.bench.imports import fresh_database  # the same throw-away databases
from scripts.bench.loadtest import PG_URL

ROWS = 77_000
DISTRICTS = 60
POSTCODES = 3_000
WEST, SOUTH, STEP = -1.50, 54.80, 0.01  # a 10 x 6 grid of 0.01-degree squares
FIRST = ("Ada", "Bryn", "Cara", "Dev", "Elsie", "Finlay", "Gwen", "Hal", "Ivo", "Jem", "Kit", "Lorna")
SURNAMES = ("Ampleforth", "Brackley", "Cresswell", "Dunmore", "Ellerby", "Fothergill", "Gilmartin", "Harrowby")
STREETS = ("Acacia Avenue", "Beech Road", "Mill Lane", "Station Road", "Church Street", "Victoria Terrace")
HEADER = ["Elector Number Prefix", "Elector Number", "Elector Number Suffix", "Elector Markers", "Elector DOB",
          "Elector Surname", "Elector Forename", "PostCode", "Address1", "Address2", "Address3", "Address4",
          "Address5", "Address6"]


def codes() -> list[str]:
    letters = string.ascii_uppercase
    return [a + b for a in letters[:3] for b in letters][:DISTRICTS]


def square(i: int) -> tuple[float, float, float, float]:
    col, row = i % 10, i // 10
    return WEST + col * STEP, SOUTH + row * STEP, WEST + (col + 1) * STEP, SOUTH + (row + 1) * STEP


def generate(folder: Path, rng: random.Random) -> tuple[Path, Path]:
    postcodes = []  # (postcode, district index, lat, lon)
    for n in range(POSTCODES):
        i = n % DISTRICTS
        w, s, e, north = square(i)
        postcodes.append((f"ZZ{n // 400 + 1} {n % 10}{string.ascii_uppercase[n // 10 % 26]}{string.ascii_uppercase[n // 260 % 26]}",
                          i, rng.uniform(s + 1e-4, north - 1e-4), rng.uniform(w + 1e-4, e - 1e-4)))
    pc_path = folder / "postcodes.csv"
    with open(pc_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["postcode", "lat", "lon"])
        writer.writerows((pc, lat, lon) for pc, _, lat, lon in postcodes)
    prefixes, numbers = codes(), [0] * DISTRICTS
    reg_path = folder / "register.csv"
    with open(reg_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        rows, house = 0, 0
        while rows < ROWS:
            pc, i, _, _ = postcodes[house % POSTCODES]
            house += 1
            flat = f"Flat {rng.randint(1, 9)}" if rng.random() < 0.2 else ""
            lines = [flat, f"{house % 300 + 1} {rng.choice(STREETS)}", "Testborough"] if flat else \
                [f"{house % 300 + 1} {rng.choice(STREETS)}", "Testborough", ""]
            for _ in range(min(rng.choice((1, 2, 2, 2, 3, 4)), ROWS - rows)):
                numbers[i] += 1
                suffix = rng.randint(1, 3) if rng.random() < 0.02 else ""
                markers = rng.choice(("A", "P", "AP")) if rng.random() < 0.2 else ""
                writer.writerow([prefixes[i], numbers[i], suffix, markers, "", rng.choice(SURNAMES),
                                 rng.choice(FIRST), pc, *lines, "", "", ""])
                rows += 1
    return reg_path, pc_path


def add_districts(app) -> None:
    def rect(w, s, e, n):
        return json.dumps({"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]})

    with dbmod.session_scope(app) as session:
        ward = Ward(code="TB", name="Testborough", boundary=rect(WEST, SOUTH, WEST + 10 * STEP, SOUTH + 6 * STEP))
        session.add(ward)
        session.flush()
        session.add_all(Neighbourhood(code=code, name=f"District {code}", ward_id=ward.id, boundary=rect(*square(i)))
                        for i, code in enumerate(codes()))
        session.commit()


def timed(app, register: Path, postcodes: Path):
    with app.app_context():
        start, cpu = time.perf_counter(), time.process_time()
        with dbmod.session_scope(app) as session:
            report = dbmod.write_transaction(session, lambda s: import_register(
                s, csv_path=register, postcodes_path=postcodes))
        return time.perf_counter() - start, time.process_time() - cpu, report


def run_backend(url: str | None, register: Path, postcodes: Path, folder: Path, repeat: int) -> dict:
    from app import create_app

    results = {"first": [], "first_cpu": [], "again": [], "again_cpu": []}
    for _ in range(repeat):
        config, drop = fresh_database(url, folder)
        try:
            app = create_app({"TESTING": True, "SECRET_KEY": "bench", **config})
            with app.app_context():
                dbmod.create_all(app)
                add_districts(app)
            seconds, cpu, report = timed(app, register, postcodes)
            assert report.people_imported == ROWS and not report.rejected and report.outside == 0, report.summary()
            results["first"].append(seconds)
            results["first_cpu"].append(cpu)
            seconds, cpu, report = timed(app, register, postcodes)
            assert report.people_updated == ROWS and report.electors_imported == 0, report.summary()
            results["again"].append(seconds)
            results["again_cpu"].append(cpu)
            with dbmod.engine_for(app).connect() as conn:
                assert conn.execute(sa.select(sa.func.count()).select_from(Elector)).scalar_one() == ROWS
            dbmod.engine_for(app).dispose()
        finally:
            drop()
    return results


def fmt(values: list[float]) -> str:
    return f"{statistics.median(values):.1f} s ({min(values):.1f}–{max(values):.1f})"


def report(results: dict, repeat: int, load: str, households: int) -> str:
    names = list(results)
    lines = ["## Register import (77,000 electors)", "",
             f"Run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, load average {load}, {os.cpu_count()} cores, "
             f"median of {repeat} (min–max). Command: `.venv/bin/python -m scripts.bench.register --write`.", "",
             f"Data: generated by the script (nothing real): 77,000 electors in {households:,} households, "
             f"60 polling districts, {POSTCODES:,} fictional postcodes, 20% postal or proxy; households placed by "
             "postcode centroid (`--postcodes`), then point-in-polygon into their district. The import is "
             "`import_register` in one write transaction: read and check every row, geocode, place, upsert "
             "households, people and elector numbers, commit.", "",
             "| run | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    rows = (("first import (empty database), wall", "first"), ("first import, this process's CPU", "first_cpu"),
            ("re-import of the same file (every elector an update), wall", "again"), ("re-import, CPU", "again_cpu"))
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(fmt(results[n][key]) for n in names) + " |")
    worst = max(max(r["first"] + r["again"]) for r in results.values())
    lines += ["", f"Target (77,000 rows in at most 60 s): **{'met' if worst <= 60 else 'missed'}** "
                  f"(slowest run {worst:.1f} s)."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=PG_URL, help="PostgreSQL URL for the second half")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = parser.parse_args()
    os.environ.setdefault("LEGWORK_ENV", "development")
    before = os.getloadavg()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        register, postcodes = generate(folder, random.Random(77))
        with open(register, newline="", encoding="utf-8") as handle:
            households = len({tuple(r[7:]) for r in csv.reader(handle)}) - 1
        for name, url in (("SQLite", None), ("PostgreSQL", None if args.no_postgres else args.database_url)):
            if name == "PostgreSQL" and url is None:
                continue
            print(f"== {name} ==", flush=True)
            results[name] = run_backend(url, register, postcodes, folder, args.repeat)
            print({k: [round(v, 2) for v in vs] for k, vs in results[name].items()}, flush=True)
    load = ", ".join(f"{x:.1f}" for x in before) + " -> " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    text = report(results, args.repeat, load, households)
    print(text)
    if args.write:
        write_section("## Register import (77,000 electors)", text)


if __name__ == "__main__":
    main()
