"""The organiser's dashboard numbers: read-only aggregates of the activity rollups, the per-area
rollups and the last hour's contact events.

A period's tallies per area, list and volunteer, and the day-by-day and hour-by-hour timeline,
come from the activity rollups (app/contacts/rollup.py: counts per local day × area × list ×
volunteer × channel, and per local hour; all time: per area, and per list and volunteer), summed
by the database (dashboard_reads); coverage (households) from the per-area rollup (app.maps.coverage,
the same numbers the maps show); the rolling last hour from that hour's events. The page reads a
row per area and a page of lists and volunteers, however many doors, days or events there are; a
state's wards are summarised, and each ward's own view (``scope`` of one ward) has its precincts.
"Knocks" and "calls" count events; coverage counts households. Days and hours are the campaign's
(settings.timezone), by the phone's ``recorded_at`` (when it happened, even if the outbox
delivered it later). An area is the household's when its event was stored.

A team lead's dashboard (``scope``) counts only activity at households in their areas (the same
rule as their walk lists: the neighbourhood, or the whole ward where there is none); its hourly
chart is read from today's events there, the hour rollup having no area.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from ..auth.access import Scope, scope_area_clause
from ..clock import as_utc
from ..config import Settings
from ..contacts import rollup as rollups
from ..maps import coverage as cov
from ..models import (ActivityDay, ActivityHour, Channel, ContactEvent, Household, ListPin, Neighbourhood, User, WalkList,
                      Ward, utcnow)
from ..models import AreaCoverage as AreaCoverageRow
from ..sorting import by_name, natural_key
from ..walk_lists import progress_by_id
from . import dashboard_reads as reads
from .dashboard_reads import Tally

_CHART = {Channel.DOOR: 0, Channel.PHONE: 1}  # the hour chart's bars: knocks and calls
PERIODS = {"today": "Today", "7d": "Last 7 days", "all": "All time"}
TIMELINE_DAYS = 14
LIST_ROWS = 50  # busiest lists shown: the rest are a link away, and their rows cost render time
VOLUNTEER_ROWS = 100  # busiest volunteers shown (a state has thousands: the volunteers page has them all)
AREA_DETAIL = 60  # up to this many areas get a row each (a city: its wards and precincts); a state's are summarised
AREA_EXTREMES = 10  # ...as the most and least knocked wards, and its precincts are on each ward's view


@dataclass
class Row:
    key: object
    label: str
    tally: Tally = field(default_factory=Tally)
    coverage: cov.AreaCoverage | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Dashboard:
    period: str
    period_label: str
    since: datetime | None
    total: Tally
    wards: list[Row]                    # every ward, or a state's most and least knocked (extra["rank"])
    neighbourhoods: list[Row]           # empty when there are too many (a state): a ward's view has its own
    lists: list[Row]                    # the LIST_ROWS busiest lists of the period
    volunteers: list[Row]
    days: list[tuple[date, Tally]]
    hours: list[tuple[int, int, int]]   # (local hour, knocks, calls) for today
    city: cov.AreaCoverage
    list_count: int = 0                 # lists with activity in the period (may exceed len(lists))
    volunteer_count: int = 0            # volunteers with activity in the period (may exceed len(volunteers))
    ward_count: int = 0
    neighbourhood_count: int = 0


def local_midnight_utc(day: date, tz: ZoneInfo) -> datetime:
    """The (aware, UTC) instant at which ``day`` begins in the campaign's timezone."""
    return datetime.combine(day, time(), tzinfo=tz).astimezone(timezone.utc)


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def period_start(period: str, *, now: datetime, tz: ZoneInfo) -> datetime | None:
    today = local_today(now, tz)
    if period == "today":
        return local_midnight_utc(today, tz)
    if period == "7d":
        return local_midnight_utc(today - timedelta(days=6), tz)
    return None


def _sum(col):
    return sa.func.coalesce(sa.func.sum(col), 0)


def _key(value):
    return None if value == rollups.NONE else value


def _last_hour(session, *, since: datetime, scope: Scope | None):
    """(ward, neighbourhood, list, user, pin, channel, events) recorded since ``since``: a short
    range of ix_contact_events_recorded_cover, joined to the households for their areas."""
    ev, h = ContactEvent.__table__.c, Household.__table__.c
    keys = (h.ward_id, h.neighbourhood_id, ev.walk_list_id, ev.actor_user_id, ev.actor_pin_id, ev.channel)
    stmt = (sa.select(*keys, sa.func.count()).select_from(ContactEvent.__table__.join(
        Household.__table__, h.id == ev.household_id)).where(ev.recorded_at >= since).group_by(*keys))
    if scope is not None:
        stmt = stmt.where(scope_area_clause(scope, h.ward_id, h.neighbourhood_id))
    return session.connection().execute(stmt)


def _add(tally: Tally, channel: str, counts) -> None:
    events, contacts, dncs, yes, unsure, no = counts
    tally.add(channel, events, contacts, dncs, 0)
    tally.supporters += yes
    tally.undecided += unsure
    tally.against += no


def build_dashboard(session: Session, *, settings: Settings, period: str = "today",
                    now: datetime | None = None, scope: Scope | None = None) -> Dashboard:
    """``scope``: a team lead's areas, or one ward's (the ward's own view); None: everything."""
    now = now or utcnow()
    tz = ZoneInfo(settings.timezone)
    since = period_start(period, now=now, tz=tz)
    since_day = local_today(since, tz) if since is not None else None
    total, wards, hoods = Tally(), {}, {}
    hood_count = _count(session, Neighbourhood, scope and scope.neighbourhood_ids)
    detail = hood_count <= AREA_DETAIL  # a row per precinct (a city); a state's are on each ward's view
    where = None if scope is None else scope_area_clause(scope, AreaCoverageRow.ward_id, AreaCoverageRow.neighbourhood_id,
                                                         none=rollups.NONE)
    if detail:
        area_cov = cov.coverage_by_area(session, where=where)
        ward_cov, hood_cov = cov.by_ward(area_cov), cov.by_neighbourhood(area_cov)
    else:
        ward_cov, hood_cov = cov.coverage_by_ward(session, where=where), {}
    city = cov.AreaCoverage(*(sum(getattr(item, name) for item in ward_cov.values()) for name in cov.FIELDS))
    names = dict(session.execute(_only(sa.select(Ward.id, Ward.name), Ward, scope and scope.ward_ids)).all())
    extremes = _extremes(names, ward_cov) if len(names) > AREA_DETAIL else None  # a state's: 20 of 1,000
    for ward, hood, channel, *counts in reads.area_tallies(session, since_day=since_day, scope=scope,
                                                           by_neighbourhood=detail,
                                                           wards=None if extremes is None else sorted(dict(extremes))):
        for tally in (total, wards.setdefault(_key(ward), Tally()), hoods.setdefault(_key(hood), Tally())):
            _add(tally, channel, counts)
    if since_day is None and scope is None:  # all time, everywhere: the top of activity_totals' index
        list_count, by_list = reads.busiest_all_time(session, "list", limit=LIST_ROWS)
        volunteer_count, by_volunteer = reads.busiest_all_time(session, "volunteer", limit=VOLUNTEER_ROWS)
    else:
        list_count, by_list = reads.busiest(session, ("walk_list_id",), since_day=since_day, scope=scope, limit=LIST_ROWS)
        volunteer_count, by_volunteer = reads.busiest(session, ("actor_user_id", "actor_pin_id"), since_day=since_day,
                                                      scope=scope, limit=VOLUNTEER_ROWS)
    lists = {lid: tally for (lid,), tally in by_list.items()}
    volunteers = {(("user", user) if user else ("pin", pin)): tally for (user, pin), tally in by_volunteer.items()}
    # The last hour (a rolling window) from its events: for the areas, and the lists and
    # volunteers shown.
    for ward, hood, walk_list, user, pin, channel, events in _last_hour(session, since=now - timedelta(hours=1),
                                                                         scope=scope):
        shown = [total, wards.setdefault(ward, Tally()), hoods.setdefault(hood, Tally()), lists.get(walk_list),
                 volunteers.get(("user", user) if user else ("pin", pin)) if (user or pin) else None]
        for tally in shown:
            if tally is not None:
                tally.add(channel, 0, 0, 0, events)

    days, hours = timeline(session, now=now, tz=tz, scope=scope)
    if extremes is None:
        ward_rows = _area_rows(session, Ward, wards, ward_cov, only=scope and scope.ward_ids)
    else:
        ward_rows = [Row(key=w, label=names[w], tally=wards.get(w, Tally()), coverage=ward_cov.get(w, cov.AreaCoverage()),
                         extra={"ward_id": None, "rank": rank}) for w, rank in extremes]
    hood_rows = _area_rows(session, Neighbourhood, hoods, hood_cov, only=scope and scope.neighbourhood_ids) if detail else None
    return Dashboard(
        period=period, period_label=PERIODS[period], since=since, total=total,
        wards=ward_rows, ward_count=len(ward_rows) if extremes is None else len(names), neighbourhoods=hood_rows or [],
        neighbourhood_count=hood_count if hood_rows is None else len(hood_rows),
        lists=_list_rows(session, lists), list_count=list_count,
        volunteers=_volunteer_rows(session, volunteers)[:VOLUNTEER_ROWS], volunteer_count=volunteer_count,
        days=days, hours=hours, city=city,
    )


def _count(session, model, only) -> int:
    return session.execute(_only(sa.select(sa.func.count()).select_from(model), model, only)).scalar()


def _only(query, model, only):
    return query if only is None else query.where(model.id.in_(sorted(only) or [0]))


def _extremes(names: dict[int, str], coverage: dict) -> list[tuple[int, str]]:
    """A state's wards summarised: the AREA_EXTREMES most and least knocked (by share of
    households, ties by name), as (ward id, "most" or "least"); the rest are a pick away (each
    ward's own view). Only these wards' rows are built and their period's figures read."""
    empty = cov.AreaCoverage()
    ranked = sorted(names, key=lambda w: (-coverage.get(w, empty).share("door_attempted"), names[w]))
    top, bottom = ranked[:AREA_EXTREMES], ranked[-AREA_EXTREMES:]
    return [(w, "least" if w in bottom else "most") for w in top] + [(w, "least") for w in bottom if w not in top]


def _area_rows(session, model, tallies: dict, coverage: dict, only=None) -> list[Row]:
    """A row per area (``only``: these ids, for a team lead or a ward; their rows never include
    "outside")."""
    query = sa.select(model.id, model.name, *((model.ward_id,) if model is Neighbourhood else ()))
    if only is not None:
        query = query.where(model.id.in_(sorted(only) or [0]))
    rows = [Row(key=a.id, label=a.name, tally=tallies.get(a.id, Tally()), coverage=coverage.get(a.id, cov.AreaCoverage()),
                extra={"ward_id": getattr(a, "ward_id", None)})
            for a in by_name(session.execute(query).all())]
    if only is None and (None in tallies or None in coverage):
        rows.append(Row(key=None, label="Outside any area", tally=tallies.get(None, Tally()),
                        coverage=coverage.get(None, cov.AreaCoverage())))
    return rows


def _list_rows(session, tallies: dict) -> list[Row]:
    """The LIST_ROWS busiest lists (ties by name), with progress read for those lists only."""
    if not tallies:
        return []
    names = dict(session.exec(select(WalkList.id, WalkList.name).where(WalkList.id.in_(list(tallies)))).all())
    ranked = sorted(tallies, key=lambda lid: (-tallies[lid].activity, natural_key(names.get(lid, f"List {lid}")), lid))[:LIST_ROWS]
    progress = progress_by_id(session, list_ids=ranked)
    return [Row(key=lid, label=names.get(lid, f"List {lid}"), tally=tallies[lid], extra={"progress": progress.get(lid)})
            for lid in ranked]


def _volunteer_rows(session, tallies: dict) -> list[Row]:
    user_ids = [k[1] for k in tallies if k[0] == "user"]
    pin_ids = [k[1] for k in tallies if k[0] == "pin"]
    users = {uid: name or email for uid, name, email in
             session.exec(select(User.id, User.name, User.email).where(User.id.in_(user_ids)))} if user_ids else {}
    pins = {pid: f"PIN: {label or pid} ({name})" for pid, label, name in session.exec(
        select(ListPin.id, ListPin.label, WalkList.name).join(WalkList, WalkList.id == ListPin.walk_list_id)
        .where(ListPin.id.in_(pin_ids)))} if pin_ids else {}
    rows = [Row(key=k, label=(users if k[0] == "user" else pins).get(k[1], f"{k[0]} {k[1]}"), tally=t)
            for k, t in tallies.items()]
    return sorted(rows, key=lambda r: (-r.tally.activity, r.label))


def timeline(session, *, now: datetime, tz: ZoneInfo, scope: Scope | None = None):
    """Per local day for the last fortnight and per local hour for today: both from the hour
    rollup (each of its rows is a campaign-local hour, so lies in one local day: a few thousand
    rows a fortnight, where a state's day rollup has 80,000); for a team lead's ``scope``, the
    days from the day rollup of their areas and the hours from today's events there."""
    today = local_today(now, tz)
    first = today - timedelta(days=TIMELINE_DAYS - 1)
    days = [today - timedelta(days=i) for i in range(TIMELINE_DAYS)]
    tallies: dict[date, Tally] = {}
    if scope is not None:
        d = ActivityDay.__table__.c
        stmt = (sa.select(d.day, d.channel, _sum(d.events), _sum(d.contacts), _sum(d.dncs))
                .where(d.day >= first, scope_area_clause(scope, d.ward_id, d.neighbourhood_id, none=rollups.NONE)))
        for day, channel, events, contacts, dncs in session.connection().execute(stmt.group_by(d.day, d.channel)):
            tallies.setdefault(day, Tally()).add(channel, events, contacts, dncs, 0)
        return [(day, tallies.get(day, Tally())) for day in days], _scoped_hours(session, today, tz, scope)
    hr = ActivityHour.__table__.c
    hours = {h: [0, 0] for h in range(24)}
    for start, channel, events, contacts, dncs in session.connection().execute(
            sa.select(hr.hour_start, hr.channel, _sum(hr.events), _sum(hr.contacts), _sum(hr.dncs))
            .where(hr.hour_start >= local_midnight_utc(first, tz),
                   hr.hour_start < local_midnight_utc(today + timedelta(days=1), tz))
            .group_by(hr.hour_start, hr.channel)):
        local = as_utc(start).astimezone(tz)
        tallies.setdefault(local.date(), Tally()).add(channel, events, contacts, dncs, 0)
        if local.date() == today and channel in _CHART:
            hours[local.hour][_CHART[channel]] += events
    return [(day, tallies.get(day, Tally())) for day in days], [(h, k, c) for h, (k, c) in sorted(hours.items())]


def _scoped_hours(session, today: date, tz: ZoneInfo, scope: Scope):
    """Today's knocks and calls per local hour at households in ``scope``: one team's day of events."""
    ev, h = ContactEvent.__table__.c, Household.__table__.c
    hours = {hr: [0, 0] for hr in range(24)}
    for recorded_at, channel in session.connection().execute(
            sa.select(ev.recorded_at, ev.channel).select_from(ContactEvent.__table__.join(
                Household.__table__, h.id == ev.household_id))
            .where(ev.recorded_at >= local_midnight_utc(today, tz),
                   ev.recorded_at < local_midnight_utc(today + timedelta(days=1), tz),
                   scope_area_clause(scope, h.ward_id, h.neighbourhood_id))):
        if channel in _CHART:
            hours[as_utc(recorded_at).astimezone(tz).hour][_CHART[channel]] += 1
    return [(hr, k, c) for hr, (k, c) in sorted(hours.items())]
