"""A street network inferred from the households near some doors, for places with no street lines
stored (walklists.infer_network: each street a line through its doors in house-number order, joined
where streets meet), so a route goes from one street to another only where they meet.

The households near the doors, not the doors alone: a list's own doors miss the cross streets that
join its streets (a list of two parallel rows would have no line between them, and its route would
jump through the back yards again). Households of the doors' wards only: they are read through the
ward index (households have none on lon/lat, and a state's box scan would read millions of rows);
a street on a ward's boundary still has this side's doors, enough to draw it.
"""
from __future__ import annotations

import math
from typing import Iterable, Sequence

import sqlalchemy as sa
from sqlmodel import Session

from walklists import Door, StreetNetwork, infer_network

from ..models import Household

# Households this far around the doors' box: the cross streets that join the doors' streets. On
# Cambridge's lists (walked on its real centre-lines) 150 m gave 51.1 m/door, as good as inferring
# from the whole city (50.9), reading ~480 households; 100 m 53.1, the list's own doors 53.0.
MARGIN_M = 150.0
_M_PER_DEG = 111_195.0
_IDS_AT_ONCE = 900  # under SQLite's limit on a statement's parameters


class InferredNetwork(StreetNetwork):
    """Lines inferred from the households near the doors: routes and maps follow them; cuts do not
    (their block faces come from the doors themselves, see street_lines)."""


def inferred_near(session: Session, *, doors: Sequence[Door], extra: Iterable[tuple[float, float]] = (),
                  margin_m: float = MARGIN_M, wards: set[int | None] | None = None) -> InferredNetwork | None:
    """The network inferred from the located households of the doors' wards within margin_m of the
    box of the doors (and the extra (lon, lat) points, e.g. where a volunteer stands); None when
    no household is there to infer from."""
    pts = [(d.lon, d.lat) for d in doors] + [(x, y) for x, y in extra if x is not None and y is not None]
    if not pts:
        return None
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    dlat = margin_m / _M_PER_DEG
    dlon = dlat / max(math.cos(math.radians((min(lats) + max(lats)) / 2)), 0.05)
    query = sa.select(Household.id, Household.lon, Household.lat, Household.street, Household.house_number,
                      Household.suffix, Household.building_key).where(
        Household.lon.is_not(None), Household.lat.is_not(None),
        Household.lon.between(min(lons) - dlon, max(lons) + dlon),
        Household.lat.between(min(lats) - dlat, max(lats) + dlat))
    if wards is None:  # the caller may know them (a cut read its households' wards already)
        wards = _wards(session, [d.id for d in doors])
    if wards is not None:
        known = [w for w in wards if w is not None]
        in_ward = Household.ward_id.in_(known) if known else sa.false()
        query = query.where(sa.or_(in_ward, Household.ward_id.is_(None)) if None in wards else in_ward)
    near = [Door(id=str(hid), lon=lon, lat=lat, street=street or "", house_number=f"{number}{suffix}",
                 building=building or None)
            for hid, lon, lat, street, number, suffix, building in session.execute(query.order_by(Household.id))]
    if not near:
        return None
    return InferredNetwork(infer_network(near).lines)


def _wards(session: Session, ids: Sequence[str]) -> set[int | None] | None:
    """The wards of these households (door ids are household ids); None if an id is not one."""
    try:
        keys = sorted({int(i) for i in ids})
    except ValueError:
        return None
    wards: set[int | None] = set()
    for k in range(0, len(keys), _IDS_AT_ONCE):
        chunk = keys[k:k + _IDS_AT_ONCE]
        wards.update(session.execute(sa.select(Household.ward_id).where(Household.id.in_(chunk)).distinct()).scalars())
    return wards
