"""The register's elector numbers, written beside the people an import upserts (``people``: the
importer's person dicts by external id, each with an "elector" dict from ``RegisterReader``)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from ..models import Elector, Person, utcnow
from ..sql import chunks
from .bulk import bulk_insert

FIELDS = ("prefix", "number", "suffix", "markers", "postal", "proxy")


def adopt_known_numbers(session: Session, people: dict) -> dict:
    """Re-key each person whose elector number is already on the register to that person's
    external id, so a re-import updates them (by elector number) instead of adding someone."""
    known = {(prefix, number, suffix): external_id for prefix, number, suffix, external_id in session.execute(
        sa.select(Elector.prefix, Elector.number, Elector.suffix, Person.external_id)
        .join(Person, Person.id == Elector.person_id).where(Person.external_id.is_not(None)))}
    if not known:
        return people
    out = {}
    for key, person in people.items():
        e = person["elector"]
        key = known.get((e["prefix"], e["number"], e["suffix"]), key)
        out[key] = {**person, "external_id": key}
    return out


def write_electors(session: Session, *, people: dict) -> tuple[int, int]:
    """Insert or update each person's elector row; (inserted, changed)."""
    ids = {}
    keys = list(people)
    for part in chunks(keys, 900):
        ids.update(session.execute(sa.select(Person.external_id, Person.id).where(Person.external_id.in_(part))).all())
    wanted = {ids[k]: people[k]["elector"] for k in keys}
    existing = {}
    for part in chunks(list(wanted), 900):
        existing.update((row[0], tuple(row[1:])) for row in session.execute(
            sa.select(Elector.person_id, *(getattr(Elector, f) for f in FIELDS)).where(Elector.person_id.in_(part))))
    now = utcnow()
    new = [{"person_id": pid, **e, "updated_at": now} for pid, e in wanted.items() if pid not in existing]
    changed = [{"pk_": pid, **e, "updated_at": now} for pid, e in wanted.items()
               if pid in existing and existing[pid] != tuple(e[f] for f in FIELDS)]
    bulk_insert(session, Elector, new)
    if changed:
        table = Elector.__table__
        statement = (table.update().where(table.c.person_id == sa.bindparam("pk_"))
                     .values({c: sa.bindparam(c) for c in (*FIELDS, "updated_at")}))
        for part in chunks(changed):
            session.connection().execute(statement, list(part))
    return len(new), len(changed)
