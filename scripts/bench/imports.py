#!/usr/bin/env python
"""Benchmark: import all 21,504 Cambridge (MA) addresses into an empty database, then again
(the idempotent re-import: every row an update), in-process and through the real CLI.

    .venv/bin/python -m scripts.bench.imports                      # SQLite in a temporary folder
    .venv/bin/python -m scripts.bench.imports --database-url postgresql://postgres@127.0.0.1:5432/test

One big upload instead (issue 22: a million rows in one file, memory flat): the Cambridge list
tiled as the statewide generator tiles it, written as ONE CSV, its wards and precincts loaded
first, then the real CLI timed by /usr/bin/time -v (wall, peak RSS) at each size; ``--code`` runs
another checkout's importer (e.g. a worktree of the base commit) on the same file:

    .venv/bin/python -m scripts.bench.imports --database-url postgresql://... --big 100000 1000000 [--code DIR]

PostgreSQL runs use a throw-away schema that is dropped afterwards. Figures go in BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

import sqlalchemy as sa

from app import create_app
from app import db as dbmod
from app.imports.addresses import import_addresses
from app.imports.boundaries import import_boundaries
from app.imports.mapping import MAPPINGS_DIR, Mapping
from app.models import Household

DATA = Path(os.environ.get("LEGWORK_SHARED_DATA", ROOT.parent / "shared" / "data")) / "cambridge-ma"


def fresh_database(url: str | None, folder: Path) -> tuple[dict, callable]:
    """App config for an empty database, and a function that throws it away."""
    if not url:
        path = folder / f"bench-{uuid.uuid4().hex[:8]}.db"
        return {"DATABASE_URL": f"sqlite:///{path}"}, lambda: None
    schema = "bench_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(dbmod.database_url_from(url))
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')

    def drop():
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()

    return {"DATABASE_URL": url, "DATABASE_SCHEMA": schema}, drop


def prepare(config: dict):
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", **config})
    with app.app_context():
        dbmod.create_all(app)
        with dbmod.session_scope(app) as session:
            import_boundaries(session, source=DATA / "wards.geojson", level="ward", name_field="Ward", code_field="Ward")
            import_boundaries(session, source=DATA / "wards_precincts.geojson", level="neighbourhood",
                              name_field="WardPrecinct", code_field="WardPrecinct", parent_field="Ward")
    return app


def timed_import(app, mapping) -> tuple[float, float, object]:
    """(wall s, this process's CPU s, report): the CPU figure is what a loaded machine cannot inflate
    (for PostgreSQL it leaves out the server's own work)."""
    with app.app_context():
        start, cpu = time.perf_counter(), time.process_time()
        with dbmod.session_scope(app) as session:
            report = import_addresses(session, csv_path=DATA / "addresses.csv", mapping=mapping)
        return time.perf_counter() - start, time.process_time() - cpu, report


def timed_cli(config: dict, *command: str) -> float:
    env = {**os.environ, "LEGWORK_ENV": "development", "LEGWORK_DATABASE_URL": config["DATABASE_URL"]}
    if "DATABASE_SCHEMA" in config:
        env["LEGWORK_DATABASE_SCHEMA"] = config["DATABASE_SCHEMA"]
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", *command], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def write_big_file(households: int, folder: Path) -> tuple[Path, Path, list]:
    """One CSV of ``households`` made-up addresses, its mapping, and the tiles (for the boundaries)."""
    from scripts.bench.statewide import areas

    source = areas.Source.load(DATA / "addresses.csv")
    tiles = areas.plan_tiles(households, len(source.rows))
    csv_path, mapping_path = folder / f"big-{households}.csv", folder / "big.toml"
    mapping_path.write_text(areas.MAPPING, encoding="utf-8")
    with open(csv_path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(areas.CSV_HEADER) + "\r\n")
        for tile in tiles:
            text = areas.tile_csv(tile, source)
            text.readline()  # each tile's own header
            out.write(text.read())
    return csv_path, mapping_path, tiles


def big_runs(url: str, sizes: list[int], code: Path, folder: Path) -> None:
    from scripts.bench.statewide import areas

    source = areas.Source.load(DATA / "addresses.csv")
    print(f"one upload, {'PostgreSQL' if url else 'SQLite'}, importer of {code}:")
    for households in sizes:
        csv_path, mapping_path, tiles = write_big_file(households, folder)
        config, drop = fresh_database(url, folder)
        try:
            app = create_app({"TESTING": True, "SECRET_KEY": "bench", **config})
            with app.app_context():
                dbmod.create_all(app)
                with dbmod.session_scope(app) as session:
                    for level, parent, i in (("ward", None, 0), ("neighbourhood", "ward", 1)):
                        features = [f for t in tiles for f in areas.tile_areas(t, source)[i]]
                        import_boundaries(session, source={"type": "FeatureCollection", "features": features},
                                          level=level, name_field="name", code_field="code", parent_field=parent)
            dbmod.engine_for(app).dispose()
            load = os.getloadavg()
            env = {**os.environ, "LEGWORK_ENV": "development", "LEGWORK_DATABASE_URL": config["DATABASE_URL"]}
            if "DATABASE_SCHEMA" in config:
                env["LEGWORK_DATABASE_SCHEMA"] = config["DATABASE_SCHEMA"]
            done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-m", "flask", "--app", "app",
                                   "import-addresses", str(csv_path), "--mapping", str(mapping_path)],
                                  cwd=code, env=env, capture_output=True, text=True)
            stats = dict(line.strip().rsplit(": ", 1) for line in done.stderr.splitlines()
                         if ": " in line and line.startswith("\t"))
            after = os.getloadavg()
            with dbmod.engine_for(app).connect() as conn:
                count = conn.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one()
            dbmod.engine_for(app).dispose()
            print(f"  {households:>9,} rows: exit {done.returncode}, {count:,} households, wall "
                  f"{stats.get('Elapsed (wall clock) time (h:mm:ss or m:ss)')}, CPU user "
                  f"{stats.get('User time (seconds)')} s + sys {stats.get('System time (seconds)')} s, "
                  f"peak RSS {int(stats.get('Maximum resident set size (kbytes)', 0)) // 1024} MB, load "
                  f"{load[0]:.1f} -> {after[0]:.1f}", flush=True)
            if done.returncode:
                print(done.stdout[-2000:], done.stderr[-2000:])
        finally:
            drop()
            csv_path.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (default: SQLite in a temp folder)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--big", type=int, nargs="+", help="rows of one made-up upload (one run per size)")
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose CLI imports (--big)")
    args = parser.parse_args()
    if not (DATA / "addresses.csv").exists():
        sys.exit(f"no Cambridge data at {DATA} (set LEGWORK_SHARED_DATA)")
    if args.big:
        with tempfile.TemporaryDirectory() as folder:
            big_runs(args.database_url, args.big, args.code.resolve(), Path(folder))
        return
    mapping = Mapping.load(MAPPINGS_DIR / "cambridge.toml")
    results = {"first import": [], "first import, CPU": [], "re-import, unchanged file": [],
               "re-import, CPU": [], "CLI end to end, empty database": [], "CLI start-up alone": []}
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(args.repeat):
            config, drop = fresh_database(args.database_url, Path(folder))
            try:
                app = prepare(config)
                seconds, cpu, report = timed_import(app, mapping)
                assert (report.imported, report.outside, report.rejected) == (21504, 42, []), report.summary()
                results["first import"].append(seconds)
                results["first import, CPU"].append(cpu)
                seconds, cpu, report = timed_import(app, mapping)
                assert (report.imported, report.updated) == (0, 21504), report.summary()
                results["re-import, unchanged file"].append(seconds)
                results["re-import, CPU"].append(cpu)
                dbmod.engine_for(app).dispose()
            finally:
                drop()
            config, drop = fresh_database(args.database_url, Path(folder))
            try:
                app = prepare(config)
                dbmod.engine_for(app).dispose()
                results["CLI start-up alone"].append(timed_cli(config, "--help"))
                results["CLI end to end, empty database"].append(timed_cli(
                    config, "import-addresses", str(DATA / "addresses.csv"), "--mapping", str(MAPPINGS_DIR / "cambridge.toml")))
                with dbmod.engine_for(app).connect() as conn:
                    count = conn.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one()
                assert count == 21504, count
                dbmod.engine_for(app).dispose()
            finally:
                drop()
    backend = "PostgreSQL" if args.database_url else "SQLite"
    load = ", ".join(f"{x:.1f}" for x in load_before) + " -> " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Cambridge addresses (21,504 rows), {backend}, {args.repeat} runs, load average {load}:")
    for name, values in results.items():
        print(f"  {name:32s} median {statistics.median(values):5.2f} s   min {min(values):5.2f} s   "
              f"max {max(values):5.2f} s")


if __name__ == "__main__":
    main()
