"""``flask --app app demo``: a whole demo campaign in one go.

With no ``--data``, a made-up town (``app.demo_town``) is written straight to the database in one
transaction; with ``--data DIR``, the real Cambridge (MA) addresses in DIR are imported through
the ordinary importers and given made-up residents. Either way: three demo accounts and a few
walk lists. The logins are printed and kept in ``instance/demo-logins.txt`` for ``scripts/run``.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session

from ..audit import audit
from ..auth import operations as auth_ops
from ..config import settings
from ..db import session_scope, write_transaction
from ..errors import Conflict, LegworkError
from ..models import Assignment, Household, Neighbourhood, Person, WalkList, Ward, utcnow
from ..sql import chunks
from ..training.operations import seed_modules
from .pollingday import seed_polling_day
from .town import build_town, postcode_csv
from .relational import seed_relational
from .surveys import seed_demo_surveys
from .universes import seed_universes
from .recruiting import seed_recruiting
from .selfserve import seed_selfserve
from .volunteering import seed_volunteering

DEMO_USERS = (  # email, roles, name
    ("organiser@demo.legwork", ("organiser",), "Olive Organiser"),
    ("canvasser@demo.legwork", ("canvasser",), "Cass Canvasser"),
    ("caller@demo.legwork", ("caller",), "Cal Caller"),
    ("lead@demo.legwork", ("volunteer",), "Lee Lead"),
    ("teller@demo.legwork", ("teller",), "Tess Teller"),
    ("knocker@demo.legwork", ("knocker",), "Kit Knocker"),
    ("driver@demo.legwork", ("driver",), "Dee Driver"),
    ("committee@demo.legwork", ("committee",), "Cam Committee"),
)
DEMO_LISTS_ASSIGNED = 2  # walk lists handed to the demo canvasser
LOGINS_FILE = "demo-logins.txt"


def write_town(session: Session, *, households: int, seed: int) -> dict:
    """Generate the made-up town and insert it (the caller commits). Returns counts."""
    town = build_town(households=households, seed=seed)
    now = utcnow()
    ward = Ward(code=town.ward.code, name=town.ward.name, boundary=_json(town.ward.boundary))
    session.add(ward)
    session.flush()
    hood_ids = {}
    for area in town.neighbourhoods:
        hood = Neighbourhood(code=area.code, name=area.name, ward_id=ward.id, boundary=_json(area.boundary))
        session.add(hood)
        session.flush()
        hood_ids[area.code] = hood.id
    rows = [{"external_id": h.external_id, "house_number": h.house_number, "street": h.street, "unit": h.unit,
             "postcode": "02999", "city": "Fernley", "building_key": h.building_key, "lon": h.lon, "lat": h.lat,
             "ward_id": ward.id, "neighbourhood_id": hood_ids[h.neighbourhood], "created_at": now, "updated_at": now}
            for h in town.homes]
    ids = []
    insert = sa.insert(Household).returning(Household.id, sort_by_parameter_order=True)
    for chunk in chunks(rows):
        ids += session.execute(insert, chunk).scalars().all()
    people = []
    for household_id, home in zip(ids, town.homes):
        for r in home.residents:
            people.append({"external_id": f"DEMO-P{len(people) + 1:06d}", "household_id": household_id,
                           "first_name": r.first_name, "last_name": r.last_name, "phone": r.phone,
                           "phone_type": r.phone_type, "created_at": now, "updated_at": now})
    for chunk in chunks(people):
        session.execute(sa.insert(Person), chunk)
    session.flush()
    postcodes = _import_demo_postcodes(session, postcode_csv(town))
    return {"households": len(ids), "people": len(people), "neighbourhoods": len(hood_ids), "postcodes": postcodes}


def _import_demo_postcodes(session: Session, text: str) -> int:
    """The made-up centroid table, read as ``import-postcodes`` reads a file (in the demo's
    own transaction: the demo is built whole or not at all)."""
    import io

    from ..imports.centroids import BadRow, parse_centroids, upsert_centroids

    rows = []
    for line, item in parse_centroids(io.StringIO(text)):
        if isinstance(item, BadRow):  # generated here: a bad row is a bug, not a user's mistake
            raise AssertionError(f"demo postcode row {line}: {item}")
        rows.append(item)
    return upsert_centroids(session, rows=rows)


def household_postcodes(session: Session) -> int:
    """Centroids for real addresses' postcodes (the middle of their households), so the
    get-involved page knows every postcode the demo's households have."""
    from ..imports.centroids import canonical_postcode, upsert_centroids

    sums: dict[str, list[float]] = {}
    for postcode, lat, lon, n in session.execute(
            sa.select(Household.postcode, sa.func.avg(Household.lat), sa.func.avg(Household.lon),
                      sa.func.count(Household.id)).group_by(Household.postcode)):
        key = canonical_postcode(postcode)
        if key is not None:
            total = sums.setdefault(key, [0.0, 0.0, 0])
            total[0] += lat * n
            total[1] += lon * n
            total[2] += n
    return upsert_centroids(session, rows=[{"postcode": k, "lat": v[0] / v[2], "lon": v[1] / v[2]}
                                           for k, v in sums.items()])


def import_cambridge(session: Session, *, data_dir: Path, seed: int) -> dict:
    """Cambridge, MA from ../shared/data-style files, through the ordinary importers."""
    from ..imports.addresses import import_addresses
    from ..imports.boundaries import import_boundaries
    from ..imports.fake_people import add_fake_people
    from ..imports.mapping import Mapping, bundled_mappings

    root = data_dir / "cambridge-ma" if (data_dir / "cambridge-ma").is_dir() else data_dir
    missing = [n for n in ("wards.geojson", "wards_precincts.geojson", "addresses.csv") if not (root / n).is_file()]
    if missing:
        raise click.ClickException(f"{root} is not the Cambridge data: missing {', '.join(missing)}")
    import_boundaries(session, source=root / "wards.geojson", level="ward", name_field="Ward", code_field="Ward")
    import_boundaries(session, source=root / "wards_precincts.geojson", level="neighbourhood",
                      name_field="WardPrecinct", code_field="WardPrecinct", parent_field="Ward")
    # The files number wards "1" and precincts "1-1"; people talk of "Ward 1" and "Precinct 1-1".
    session.execute(sa.update(Ward).values(name="Ward " + Ward.code))
    session.execute(sa.update(Neighbourhood).values(name="Precinct " + Neighbourhood.code))
    report = import_addresses(session, csv_path=root / "addresses.csv", mapping=Mapping.load(bundled_mappings()["cambridge"]),
                              skip_bad=True, default_region="US", actor_label="demo")
    people = add_fake_people(session, seed=seed, per_household=(1, 4), region="US")
    households = session.execute(sa.select(sa.func.count(Household.id))).scalar_one()
    return {"households": households, "people": people, "rejected rows": len(report.rejected),
            "postcodes": household_postcodes(session),
            "neighbourhoods": session.execute(sa.select(sa.func.count(Neighbourhood.id))).scalar_one()}


def demo_users(session: Session) -> list[tuple[str, str, object]]:
    """The demo accounts, with fresh random passwords (made or reset): [(email, password, user)]."""
    made = []
    for email, roles, name in DEMO_USERS:
        password = secrets.token_urlsafe(9)
        user = auth_ops.user_by_email(session, email=email)
        if user is None:
            user = auth_ops.create_user(session, email=email, roles=roles, password=password, name=name,
                                        actor_label="demo")
        else:
            user.password_hash, user.roles, user.is_active = auth_ops.hash_password(password), " ".join(roles), True
            session.add(user)
        made.append((email, password, user))
    session.flush()
    return made


def cut_demo_lists(session: Session, *, organiser_id: int, canvasser_id: int) -> int:
    """Cut one neighbourhood into walk lists and give two of them to the demo canvasser."""
    try:
        from ..walk_lists import assign, cut_area, save_lists
    except ImportError:  # walk lists not built yet: the demo works without them
        return 0
    counts = session.execute(sa.select(Household.neighbourhood_id, sa.func.count(Household.id))
                             .where(Household.neighbourhood_id.is_not(None))
                             .group_by(Household.neighbourhood_id).order_by(sa.func.count(Household.id), Household.neighbourhood_id)).all()
    if not counts:
        return 0
    target = settings().canvass.target_list_size
    # The smallest neighbourhood that still makes several lists (real data has tiny slivers).
    hood_id = next((hood for hood, doors in counts if doors >= 4 * target), counts[-1][0])
    proposal = cut_area(session, neighbourhood_id=hood_id, created_by_id=organiser_id, target_size=target)
    if not proposal.turfs:
        return 0
    saved = save_lists(session, proposal=proposal, created_by_id=organiser_id)
    for walk_list in saved[:DEMO_LISTS_ASSIGNED]:
        assign(session, walk_list_id=walk_list.id, user_ids=[canvasser_id], assigned_by_id=organiser_id)
    return len(saved)


def _json(geometry: dict) -> str:
    import json

    return json.dumps(geometry, separators=(",", ":"))


def logins_text(logins: list[tuple[str, str, object]]) -> str:
    return "".join(f"  {email:<26} password: {password}\n" for email, password, _ in logins)


def build_demo(session: Session, *, households: int, seed: int, data_dir: Path | None) -> tuple[dict, list, int]:
    """Town, residents, logins, lists and activity; (counts, logins, lists). The caller commits."""
    if session.execute(sa.select(sa.func.count(Household.id))).scalar_one():  # checked again: this may re-run
        raise Conflict("The database already has households; the demo is only built into an empty one.")
    if data_dir is None:
        counts = write_town(session, households=households, seed=seed)
    else:
        counts = import_cambridge(session, data_dir=data_dir, seed=seed)
    logins = demo_users(session)
    by_email = {email: user for email, _, user in logins}
    lists = cut_demo_lists(session, organiser_id=by_email["organiser@demo.legwork"].id,
                           canvasser_id=by_email["canvasser@demo.legwork"].id)
    counts.update(seed_demo_surveys(session, organiser=by_email["organiser@demo.legwork"],
                                    canvasser=by_email["canvasser@demo.legwork"], settings=settings()))
    if lists:
        from .activity import seed_activity

        mine = set(session.execute(sa.select(Assignment.walk_list_id).where(
            Assignment.user_id == by_email["canvasser@demo.legwork"].id)).scalars())
        counts.update(seed_activity(session, organiser_id=by_email["organiser@demo.legwork"].id,
                                    skip_list_ids=mine, settings=settings(), seed=seed))
        if mine:  # the canvasser's own list: fixes they made, for the organiser's review
            from .fixes import seed_fixes

            counts.update(seed_fixes(session, walk_list_id=min(mine), actor_user_id=by_email["canvasser@demo.legwork"].id,
                                     actor_label="canvasser@demo.legwork", settings=settings()))
    counts["training modules"] = len(seed_modules(session))
    free = list(session.execute(sa.select(WalkList.id).where(WalkList.id.not_in(
        sa.select(Assignment.walk_list_id))).order_by(WalkList.id)).scalars())
    counts.update(seed_volunteering(session, organiser=by_email["organiser@demo.legwork"],
                                    lead=by_email["lead@demo.legwork"], list_ids=free))
    counts.update(seed_recruiting(session, lead=by_email["lead@demo.legwork"]))
    counts.update(seed_selfserve(session, lead=by_email["lead@demo.legwork"], canvasser=by_email["canvasser@demo.legwork"]))
    counts.update(seed_polling_day(session, settings=settings(), committee=by_email["committee@demo.legwork"],
                                   knocker=by_email["knocker@demo.legwork"], seed=seed))
    counts.update(seed_universes(session, organiser=by_email["organiser@demo.legwork"], settings=settings()))
    counts.update(seed_relational(session, volunteer=by_email["canvasser@demo.legwork"], settings=settings()))
    audit(session, action="demo.build", actor_label="demo", detail={**counts, "lists": lists, "seed": seed})
    return counts, logins, lists


@click.command("demo")
@click.option("--households", type=click.IntRange(1, 50_000), default=3000, show_default=True,
              help="How many households the made-up town has.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same town and residents.")
@click.option("--data", "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Import real Cambridge, MA addresses from DIR (or DIR/cambridge-ma) instead.")
@click.option("--if-empty", is_flag=True,
              help="Do nothing (and succeed) when the database already has households: for scripts/run.")
@with_appcontext
def demo_command(households, seed, data_dir, if_empty):
    """Build a demo campaign: a town, made-up residents, demo logins and walk lists."""
    try:
        with session_scope(current_app) as session:
            existing = session.execute(sa.select(sa.func.count(Household.id))).scalar_one()
            if existing and if_empty:
                click.echo(f"The database already has {existing} households: keeping them (no demo built).")
                return
            if existing:
                raise click.ClickException(f"The database already has {existing} households; the demo is only "
                                           "built into an empty one.")
            counts, logins, lists = write_transaction(session, lambda s: build_demo(
                s, households=households, seed=seed, data_dir=data_dir))
    except LegworkError as err:
        raise click.ClickException(err.message) from None
    path = Path(current_app.instance_path) / LOGINS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(logins_text(logins))
    os.chmod(path, 0o600)
    click.echo("Demo built: " + ", ".join(f"{v} {k}" for k, v in {**counts, "walk lists": lists}.items()) + ".")
    click.echo("Demo logins (also in instance/demo-logins.txt):")
    click.echo(logins_text(logins), nl=False)


commands = [demo_command]
