"""A self-serve patch for the near-me tests: a street grid of doors in one neighbourhood, a team
covering its ward with self-serve on there, and volunteers in the team."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import select

from app.db import write_transaction
from app.models import Household, Neighbourhood, TeamMember, TeamSelfServe, User
from app.streets.importer import import_streets

# The grid's south-west corner, inside make_ward's default ward and its first neighbourhood.
ORIGIN = (-71.1195, 42.3605)
STEP = 0.00025  # ~20 m between doors east-west, ~28 m north-south

# Streets for a grid of two rows: each row's street 8 m from its doors (Row 1 south, Row 2 north),
# joined only at the east end, 165 m past the last door, so back-yard neighbours are a walk round apart.
OFF = 8 / 111_195
ROW1, ROW2 = ORIGIN[1], ORIGIN[1] + STEP
WEST, EAST = ORIGIN[0] - 5e-4, ORIGIN[0] + 9 * STEP + 2e-3
ROW_LINES = [("Row 1 St", [[WEST, ROW1 - OFF], [EAST, ROW1 - OFF]]),
             ("Row 2 St", [[WEST, ROW2 + OFF], [EAST, ROW2 + OFF]]),
             ("Far Rd", [[EAST, ROW1 - OFF], [EAST, ROW2 + OFF]])]
HERE = (ROW1 - OFF, ORIGIN[0] - 1e-4)  # (lat, lon): on Row 1 St, by its first door


def import_row_lines(db) -> None:
    source = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "LineString", "coordinates": coords}}
        for name, coords in ROW_LINES]}
    write_transaction(db, lambda s: import_streets(s, source=source))


@dataclass
class Patch:
    ward: object
    hood: Neighbourhood
    team: object
    lead: User
    volunteers: list[User]
    household_ids: list[int]


def grid_doors(db, *, ward, hood, rows: int, cols: int) -> list[int]:
    """rows x cols doors, one street per row, in one statement (hundreds of doors stay quick)."""
    values = [dict(street=f"Row {r + 1} St", house_number=str(2 * c + 1), postcode="02139",
                   lon=ORIGIN[0] + c * STEP, lat=ORIGIN[1] + r * STEP, ward_id=ward.id, neighbourhood_id=hood.id,
                   building_key=f"g{r}-{c}") for r in range(rows) for c in range(cols)]
    db.execute(sa.insert(Household), values)
    db.commit()
    return list(db.exec(select(Household.id).where(Household.neighbourhood_id == hood.id).order_by(Household.id)).all())


def make_patch(db, *, make_ward, make_team, make_user, rows: int = 10, cols: int = 10, volunteers: int = 1,
               return_minutes: int = 45, enabled: bool = True, areas: str | None = None) -> Patch:
    ward = make_ward()
    hood = db.exec(select(Neighbourhood).where(Neighbourhood.ward_id == ward.id).order_by(Neighbourhood.id)).first()
    lead = make_user(roles="volunteer", name="Lee Lead")
    people = [make_user(roles="volunteer", name=f"Vol {i}") for i in range(volunteers)]
    team = make_team(wards=[ward], leads=[lead])
    db.execute(sa.insert(TeamMember), [dict(team_id=team.id, user_id=u.id, is_lead=False) for u in people])
    db.add(TeamSelfServe(team_id=team.id, enabled=enabled, areas=areas if areas is not None else f"ward:{ward.id}",
                         return_minutes=return_minutes))
    db.commit()
    ids = grid_doors(db, ward=ward, hood=hood, rows=rows, cols=cols)
    return Patch(ward, hood, team, lead, people, ids)


def centre(rows: int = 10, cols: int = 10) -> tuple[float, float]:
    """(lat, lon) of the middle of the grid."""
    return ORIGIN[1] + STEP * (rows - 1) / 2, ORIGIN[0] + STEP * (cols - 1) / 2
