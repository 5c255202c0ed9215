"""Build the made-up state into a fresh database, timing each phase (the load time is a figure)."""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import create_app
from app import db as dbmod
from app.config import settings
from app.contacts.summary import rebuild_summary
from app.imports.addresses import import_addresses
from app.imports.boundaries import import_boundaries
from app.imports.mapping import Mapping
from app.migrate import upgrade
from app.models import utcnow

from . import areas, history

DATA = Path(os.environ.get("LEGWORK_SHARED_DATA", Path(__file__).resolve().parents[4] / "shared" / "data"))


@dataclass
class Phase:
    name: str
    seconds: float
    rows: int
    peak_rss_mb: float


def fresh_database(url: str) -> None:
    """Drop and create the database ``url`` names (connecting to the server's postgres database)."""
    target = make_url(url)
    if target.get_backend_name() != "postgresql":
        raise SystemExit("the statewide generator needs a PostgreSQL URL (postgresql://...)")
    admin = sa.create_engine(dbmod.database_url_from(target.set(database="postgres").render_as_string(False)),
                             isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    admin.dispose()


def make_app(url: str):
    return create_app({"SECRET_KEY": "statewide", "DATABASE_URL": url, "TESTING": True, "RATELIMIT_ENABLED": False})


class Timer:
    def __init__(self):
        self.phases: list[Phase] = []

    def run(self, name: str, work) -> object:
        start = time.perf_counter()
        result = work()
        rows = result if isinstance(result, int) else 0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.phases.append(Phase(name, time.perf_counter() - start, rows, peak))
        rate = f", {rows / self.phases[-1].seconds:,.0f} rows/s" if rows else ""
        print(f"  {name:28} {self.phases[-1].seconds:8.1f} s  {rows:>11,} rows{rate}  (peak RSS {peak:,.0f} MB, "
              f"load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
        return result


def generate(*, households: int, url: str, seed: int = 1, data: Path = DATA) -> list[Phase]:
    """Build the state into ``url`` (dropped first). Returns the timed phases."""
    timer = Timer()
    fresh_database(url)
    app = make_app(url)
    source = areas.Source.load(data / "cambridge-ma" / "addresses.csv")
    tiles = areas.plan_tiles(households, len(source.rows))
    print(f"statewide: {households:,} households in {len(tiles)} tiles of the Cambridge streets, "
          f"{sum(t.wards for t in tiles):,} wards", file=sys.stderr)
    with app.app_context():
        timer.run("schema (migrations)", lambda: upgrade(app) or 0)
        session = dbmod.get_session()
        timer.run("boundaries (import)", lambda: _boundaries(session, tiles, source))
        timer.run("addresses (import)", lambda: _addresses(session, tiles, source))
        conf = settings()
        state = history.State(seed=seed, settings=conf, households=households, now=utcnow())
        zips = [(t.zip, float(source.lat.mean()) + t.dy, float(source.lon.mean()) + t.dx) for t in tiles]
        session.close()
        with dbmod.engine_for(app).connect() as conn:
            # Foreign keys unchecked while loading (every id is handed out by the generator, so each
            # target exists): checking them is most of COPY's cost. The constraints stay in place.
            conn.exec_driver_sql("SET session_replication_role = replica")
            timer.run("volunteers (COPY)", lambda: _volunteers(conn, state, zips))
            timer.run("lists, people, events (COPY)", lambda: _precincts(conn, state))
            timer.run("audit log (COPY)", lambda: _audit(conn, state, households))
        session = dbmod.get_session()
        counts = state.counts
        print(f"  made {counts.people:,} people ({counts.phones:,} with phones), {counts.lists:,} lists "
              f"({counts.doors:,} doors), {counts.events:,} events, {counts.answers:,} answers, "
              f"{counts.volunteers:,} volunteers, {counts.audit:,} audit entries", file=sys.stderr)
        timer.run("rebuild-summary", lambda: _rebuild(session, conf))
        session.close()
        timer.run("VACUUM ANALYZE", lambda: _analyze(dbmod.engine_for(app)))
    dbmod.engine_for(app).dispose()
    total = sum(p.seconds for p in timer.phases)
    print(f"  {'total':28} {total:8.1f} s", file=sys.stderr)
    return timer.phases


def _boundaries(session, tiles, source) -> int:
    wards, precincts = [], []
    for tile in tiles:
        w, p = areas.tile_areas(tile, source)
        wards += w
        precincts += p
    for level, features, parent in (("ward", wards, None), ("neighbourhood", precincts, "ward")):
        collection = {"type": "FeatureCollection", "features": features}
        dbmod.write_transaction(session, lambda s, c=collection, lv=level, pf=parent: import_boundaries(
            s, source=c, level=lv, name_field="name", code_field="code", parent_field=pf))
    return len(wards) + len(precincts)


def _addresses(session, tiles, source) -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as handle:
        handle.write(areas.MAPPING)
    mapping = Mapping.load(handle.name)
    os.unlink(handle.name)
    done = 0
    for tile in tiles:
        report = dbmod.write_transaction(session, lambda s, t=tile: import_addresses(
            s, csv_path=areas.tile_csv(t, source), mapping=mapping, source_name=f"statewide-tile-{t.index + 1}.csv"))
        if report.outside or report.rejected:
            raise SystemExit(f"tile {tile.index + 1}: {report.summary()}")
        done += report.imported
    return done


def _volunteers(conn, state, zips) -> int:
    with conn.connection.driver_connection.cursor() as cursor:
        history.volunteers(state, cursor, zips)
    conn.commit()
    return state.volunteers + 1


def _precincts(conn, state) -> int:
    from app.models import Household, Neighbourhood

    hoods = conn.execute(sa.select(Neighbourhood.id).order_by(Neighbourhood.id)).scalars().all()
    out = history.buffers()
    h = Household.__table__.c
    query = (sa.select(h.id, h.ward_id, h.neighbourhood_id, h.street, h.lon, h.lat)
             .where(h.neighbourhood_id == sa.bindparam("hood"))
             .order_by(h.street, h.house_number, h.suffix, h.unit, h.id))
    with conn.connection.driver_connection.cursor() as cursor:
        for hood in hoods:
            history.precinct(state, out, conn.execute(query, {"hood": hood}).all())
            if history.flush(cursor, out):
                conn.commit()
        history.flush(cursor, out, force=True)
    history.move_sequences(conn)
    conn.commit()
    return state.counts.people + state.counts.lists + state.counts.doors + state.counts.events + state.counts.answers


def _audit(conn, state, households) -> int:
    with conn.connection.driver_connection.cursor() as cursor:
        history.audit(state, cursor, households)
    conn.commit()
    return state.counts.audit


def _rebuild(session, conf) -> int:
    rows = dbmod.write_transaction(session, lambda s: rebuild_summary(s, settings=conf))
    return rows


def _analyze(engine) -> int:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")
    return 0
