"""Reads for the public get-involved page: where a postcode is, the teams covering a point and
the approved events near it. Nothing here reads voter data."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from ..errors import ValidationError
from ..imports.centroids import canonical_postcode
from ..models import Event, EventStatus, PostcodeCentroid, Rsvp, RsvpStatus, Team, TeamMember, User
from .areas import teams_covering

EARTH_KM = 6371.0088
KM_PER_DEG_LAT = 110.574
MAX_EVENTS = 50
MAX_POSTCODE_SHOWN = 20


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float
    postcode: str | None = None  # None when the visitor shared their location


@dataclass(frozen=True)
class TeamCard:
    id: int
    name: str
    description: str
    lead_first_names: tuple[str, ...]


@dataclass(frozen=True)
class NearEvent:
    id: int
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    meeting_point: str
    lat: float
    lon: float
    distance_km: float
    spaces_left: int | None  # None: no limit

    @property
    def full(self) -> bool:
        return self.spaces_left is not None and self.spaces_left <= 0


def unknown_postcode(text: str) -> ValidationError:
    shown = " ".join((text or "").split())[:MAX_POSTCODE_SHOWN] or "you gave"
    return ValidationError(f"We don't know the postcode {shown}; check it, or share your location.")


def postcode_place(session: Session, *, text: str) -> Place:
    """The centroid of a postcode as typed (one primary-key read), or ValidationError."""
    key = canonical_postcode(text)
    row = session.get(PostcodeCentroid, key) if key else None
    if row is None:
        raise unknown_postcode(text)
    return Place(lat=row.lat, lon=row.lon, postcode=row.postcode)


def _coordinate(text: str, name: str, limit: float) -> float:
    try:
        value = float(text)
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value) or not -limit <= value <= limit:
        raise ValidationError("We could not read your location; type your postcode instead.")
    return value


def find_place(session: Session, *, postcode: str | None, lat: str | None, lon: str | None) -> Place | None:
    """Where the visitor is: their postcode if given, else a shared location; None when neither."""
    if postcode and postcode.strip():
        return postcode_place(session, text=postcode)
    if lat or lon:
        return Place(lat=_coordinate(lat, "lat", 90), lon=_coordinate(lon, "lon", 180))
    return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(a)))


def local_teams(session: Session, *, lat: float, lon: float) -> list[TeamCard]:
    """The teams whose areas contain the point, each with its leads' first names only."""
    ids = teams_covering(session, lat=lat, lon=lon)
    if not ids:
        return []
    teams = session.execute(sa.select(Team.id, Team.name, Team.description).where(Team.id.in_(ids))
                            .order_by(Team.name)).all()
    leads: dict[int, list[str]] = {}
    for team_id, name in session.execute(
            sa.select(TeamMember.team_id, User.name).join(User, User.id == TeamMember.user_id)
            .where(TeamMember.team_id.in_(ids), TeamMember.is_lead.is_(True), User.is_active.is_(True))
            .order_by(TeamMember.joined_at)):
        first = (name or "").split()[:1]
        if first:
            leads.setdefault(team_id, []).append(first[0])
    return [TeamCard(t.id, t.name, t.description, tuple(leads.get(t.id, ()))) for t in teams]


def events_near(session: Session, *, lat: float, lon: float, radius_km: float, now: datetime) -> list[NearEvent]:
    """Approved events not yet over within ``radius_km``, nearest first (then soonest). A
    bounding box in SQL (a latitude band through ix_events_status_lat), then exact distance."""
    dlat = radius_km / KM_PER_DEG_LAT
    query = (sa.select(Event.id, Event.kind, Event.title, Event.starts_at, Event.ends_at, Event.meeting_point,
                       Event.lat, Event.lon, Event.capacity)
             .where(Event.status == EventStatus.APPROVED, Event.lat.between(lat - dlat, lat + dlat),
                    Event.ends_at > now, Event.lon.is_not(None)))
    cos_lat = math.cos(math.radians(min(89.0, abs(lat) + dlat)))
    dlon = radius_km / (111.320 * cos_lat)
    if -180 <= lon - dlon and lon + dlon <= 180:  # a box across the antimeridian: distance alone decides
        query = query.where(Event.lon.between(lon - dlon, lon + dlon))
    near = []
    for row in session.execute(query):
        km = distance_km(lat, lon, row.lat, row.lon)
        if km <= radius_km:
            near.append((km, row))
    near.sort(key=lambda item: (round(item[0], 1), item[1].starts_at, item[1].id))
    near = near[:MAX_EVENTS]
    going = _going(session, [row.id for _, row in near])
    return [NearEvent(row.id, row.kind, row.title, row.starts_at, row.ends_at, row.meeting_point, row.lat, row.lon,
                      km, None if row.capacity is None else max(0, row.capacity - going.get(row.id, 0)))
            for km, row in near]


def _going(session: Session, event_ids: list[int]) -> dict[int, int]:
    if not event_ids:
        return {}
    return dict(session.execute(sa.select(Rsvp.event_id, sa.func.count(Rsvp.id))
                                .where(Rsvp.event_id.in_(event_ids), Rsvp.status == RsvpStatus.GOING)
                                .group_by(Rsvp.event_id)).all())
