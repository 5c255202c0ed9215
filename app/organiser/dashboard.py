"""The organiser's dashboard numbers: read-only aggregates of the household summaries (all
time) and of the contact events in the period shown.

All-time area totals and coverage come from the household summaries (app.maps.coverage, the
same numbers the maps show); a period's area totals, and the list, volunteer, last-hour and
day-by-day figures, from grouped queries over that window's events along the covering indexes
on contact_events. The page costs the same few queries however many areas and volunteers there
are. "Knocks" and "calls" count events; coverage counts households. Times are bucketed by the phone's
``recorded_at`` (when it happened, even if the outbox delivered it later), in the campaign's
timezone from config.toml.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from ..config import Settings
from ..maps import coverage as cov
from ..models import ContactEvent, Household, ListPin, Neighbourhood, SurveyResponse, User, WalkList, Ward, utcnow

PERIODS = {"today": "Today", "7d": "Last 7 days", "all": "All time"}
TIMELINE_DAYS = 14
LIST_ROWS = 50  # busiest lists shown: the rest are a link away, and their rows cost render time


@dataclass
class Tally:
    knocks: int = 0
    door_contacts: int = 0
    calls: int = 0
    connected: int = 0
    dnc: int = 0
    supporters: int = 0
    undecided: int = 0
    against: int = 0
    hour_knocks: int = 0
    hour_calls: int = 0

    @property
    def contact_rate(self) -> float | None:
        return self.door_contacts / self.knocks if self.knocks else None

    @property
    def connect_rate(self) -> float | None:
        return self.connected / self.calls if self.calls else None

    @property
    def activity(self) -> int:
        return self.knocks + self.calls

    def add(self, channel: str, events: int, contacts: int, dncs: int, recent: int) -> None:
        if channel == "door":
            self.knocks += events
            self.door_contacts += contacts
            self.hour_knocks += recent
        else:
            self.calls += events
            self.connected += contacts
            self.hour_calls += recent
        self.dnc += dncs


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
    wards: list[Row]
    neighbourhoods: list[Row]
    lists: list[Row]                    # the LIST_ROWS busiest lists of the period
    volunteers: list[Row]
    days: list[tuple[date, Tally]]
    hours: list[tuple[int, int, int]]   # (local hour, knocks, calls) for today
    city: cov.AreaCoverage
    list_count: int = 0                 # lists with activity in the period (may exceed len(lists))


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


def _count_if(cond):
    return sa.func.sum(sa.case((cond, 1), else_=0))


def _grouped(session, *, keys, settings: Settings, since, recent_since) -> dict[tuple, Tally]:
    """Door/phone tallies grouped by ``keys`` (ContactEvent columns an index starts with)."""
    contact, dnc = cov.contact_condition(settings), cov.dnc_condition(settings)
    in_period = ContactEvent.recorded_at >= since if since is not None else sa.true()
    stmt = (select(*keys, ContactEvent.channel, _count_if(in_period), _count_if(sa.and_(in_period, contact)),
                   _count_if(sa.and_(in_period, dnc)), _count_if(ContactEvent.recorded_at >= recent_since))
            .where(sa.or_(*(k.is_not(None) for k in keys)))
            .group_by(*keys, ContactEvent.channel))
    out: dict[tuple, Tally] = {}
    for *key, channel, events, contacts, dncs, recent in session.exec(stmt):
        if events or recent:
            out.setdefault(tuple(key), Tally()).add(channel, events, contacts, dncs, recent)
    return out


def _area_window(session, *, settings: Settings, since: datetime) -> dict[tuple, tuple[int, int, int]]:
    """(ward, neighbourhood, channel) -> (events, contacts, do-not-contacts) recorded since ``since``:
    a range of ix_contact_events_recorded_cover joined to households, grouped by code (few)."""
    flags = {(ch, c.code): (c.contact, c.dnc) for ch in ("door", "phone") for c in settings.codes(ch).values()}
    out: dict[tuple, list[int]] = {}
    for ward, hood, channel, code, count in session.connection().execute(
            select(Household.ward_id, Household.neighbourhood_id, ContactEvent.channel, ContactEvent.code,
                   sa.func.count())
            .select_from(ContactEvent).join(Household, Household.id == ContactEvent.household_id)
            .where(ContactEvent.recorded_at >= since)
            .group_by(Household.ward_id, Household.neighbourhood_id, ContactEvent.channel, ContactEvent.code)):
        contact, dnc = flags.get((channel, code), (False, False))
        row = out.setdefault((ward, hood, channel), [0, 0, 0])
        row[0] += count
        row[1] += count if contact else 0
        row[2] += count if dnc else 0
    return {key: tuple(v) for key, v in out.items()}


def build_dashboard(session: Session, *, settings: Settings, period: str = "today",
                    now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    tz = ZoneInfo(settings.timezone)
    since = period_start(period, now=now, tz=tz)
    hour_ago = now - timedelta(hours=1)

    # Areas: all-time coverage (and all-time totals) from the household summaries; a period's
    # and the last hour's tallies from the events in that window only.
    areas = cov.summary_by_area(session)
    total, wards, hoods = Tally(), {}, {}

    def area_tallies(ward, hood):
        return (total, wards.setdefault(ward, Tally()), hoods.setdefault(hood, Tally()))

    if since is None:
        for (ward, hood), a in areas.items():
            for tally in area_tallies(ward, hood):
                tally.add("door", a.door_events, a.door_contacts, a.dnc_events, 0)
                tally.add("phone", a.phone_events, a.phone_contacts, 0, 0)
                tally.supporters += a.supporters
                tally.undecided += a.undecided
                tally.against += a.against
    else:
        for (ward, hood, channel), (events, contacts, dncs) in _area_window(session, settings=settings,
                                                                              since=since).items():
            for tally in area_tallies(ward, hood):
                tally.add(channel, events, contacts, dncs, 0)
    for (ward, hood, channel), (events, _, _) in _area_window(session, settings=settings, since=hour_ago).items():
        for tally in area_tallies(ward, hood):
            tally.add(channel, 0, 0, 0, events)
    area_cov = {key: a.coverage for key, a in areas.items()}
    lists = {k[0]: t for k, t in _grouped(session, keys=(ContactEvent.walk_list_id,), settings=settings,
                                          since=since, recent_since=hour_ago).items()}
    volunteers = {(("user", k[0]) if k[0] is not None else ("pin", k[1])): t for k, t in _grouped(
        session, keys=(ContactEvent.actor_user_id, ContactEvent.actor_pin_id), settings=settings, since=since,
        recent_since=hour_ago).items()}

    # Responses grouped by the database: all time, the areas' support is already in the summaries,
    # so only lists and volunteers need them; a period also needs each response's area and its
    # event's time (filtered in SQL: measured faster than filtering every response in Python).
    columns = [ContactEvent.walk_list_id, ContactEvent.actor_user_id, ContactEvent.actor_pin_id,
               SurveyResponse.support_level]
    stmt = select(*columns).select_from(SurveyResponse).join(
        ContactEvent, ContactEvent.id == SurveyResponse.event_id).where(SurveyResponse.support_level.is_not(None))
    if since is not None:
        columns += [Household.ward_id, Household.neighbourhood_id]
        stmt = stmt.add_columns(Household.ward_id, Household.neighbourhood_id).join(
            Household, Household.id == ContactEvent.household_id).where(ContactEvent.recorded_at >= since)
    grouped = stmt.add_columns(sa.func.count()).group_by(*columns)
    support = {tuple(row[:-1]): row[-1] for row in session.connection().execute(grouped)}
    for (walk_list, user, pin, level, *area), count in support.items():
        targets = list(area_tallies(*area)) if area else []
        if walk_list is not None:
            targets.append(lists.setdefault(walk_list, Tally()))
        if user is not None or pin is not None:
            targets.append(volunteers.setdefault(("user", user) if user is not None else ("pin", pin), Tally()))
        kind = ("supporters" if level in settings.supporter_values else
                "against" if level in settings.against_values else "undecided")
        for tally in targets:
            setattr(tally, kind, getattr(tally, kind) + count)

    city = cov.AreaCoverage()
    for item in area_cov.values():
        city.add(item)
    days, hours = timeline(session, settings=settings, now=now, tz=tz)
    return Dashboard(
        period=period, period_label=PERIODS[period], since=since, total=total,
        wards=_area_rows(session, Ward, wards, cov.by_ward(area_cov)),
        neighbourhoods=_area_rows(session, Neighbourhood, hoods, cov.by_neighbourhood(area_cov)),
        lists=_list_rows(session, lists), list_count=len(lists),
        volunteers=_volunteer_rows(session, volunteers),
        days=days, hours=hours, city=city,
    )


def _area_rows(session, model, tallies: dict, coverage: dict) -> list[Row]:
    rows = [Row(key=a.id, label=a.name, tally=tallies.get(a.id, Tally()), coverage=coverage.get(a.id, cov.AreaCoverage()),
                extra={"ward_id": getattr(a, "ward_id", None)})
            for a in session.exec(select(model).order_by(model.code))]
    if None in tallies or None in coverage:
        rows.append(Row(key=None, label="Outside any area", tally=tallies.get(None, Tally()),
                        coverage=coverage.get(None, cov.AreaCoverage())))
    return rows


def _list_rows(session, tallies: dict) -> list[Row]:
    """The LIST_ROWS busiest lists (ties by name), with progress read for those lists only."""
    if not tallies:
        return []
    names = dict(session.exec(select(WalkList.id, WalkList.name).where(WalkList.id.in_(list(tallies)))).all())
    ranked = sorted(tallies, key=lambda lid: (-tallies[lid].activity, names.get(lid, f"List {lid}"), lid))[:LIST_ROWS]
    progress = {p.id: p for p in cov.list_progress(session, list_ids=ranked)}
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


def hour_bucket(session):
    """recorded_at truncated to the UTC hour, as 'YYYY-MM-DD HH' text on either database."""
    if session.get_bind().dialect.name == "sqlite":  # stored as UTC text
        return sa.func.strftime("%Y-%m-%d %H", ContactEvent.recorded_at)
    # timestamptz: to_char would use the connection's TimeZone, so convert to UTC explicitly.
    return sa.func.to_char(sa.func.timezone("UTC", ContactEvent.recorded_at), "YYYY-MM-DD HH24")


def timeline(session, *, settings: Settings, now: datetime, tz: ZoneInfo):
    """Per local day for the last fortnight, and per local hour for today.

    One aggregate per day (a range of the recorded_at index, no GROUP BY) rather than one big
    GROUP BY: SQLite would sort every event of the fortnight to group them.
    """
    today = local_today(now, tz)
    door, phone = ContactEvent.channel == "door", ContactEvent.channel == "phone"
    contact, dnc = cov.contact_condition(settings), cov.dnc_condition(settings)
    measures = (_count_if(door), _count_if(sa.and_(door, contact)), _count_if(phone), _count_if(sa.and_(phone, contact)),
                _count_if(dnc))
    days = [today - timedelta(days=i) for i in range(TIMELINE_DAYS)]
    # Today's total is the sum of its hours (below): one scan of today's events, not two.
    parts = [select(sa.literal(i).label("day"), *measures)
             .where(ContactEvent.recorded_at >= local_midnight_utc(day, tz),
                    ContactEvent.recorded_at < local_midnight_utc(day + timedelta(days=1), tz))
             for i, day in enumerate(days) if i]
    tallies = {}
    for i, knocks, door_contacts, calls, connected, dncs in session.exec(sa.union_all(*parts)):
        tally = Tally(knocks=int(knocks or 0), door_contacts=int(door_contacts or 0), calls=int(calls or 0),
                      connected=int(connected or 0), dnc=int(dncs or 0))
        tallies[days[i]] = tally
    bucket = hour_bucket(session).label("bucket")
    hours = {h: [0, 0] for h in range(24)}
    day_total = tallies[today] = Tally()
    for text, knocks, door_contacts, calls, connected, dncs in session.exec(
            select(bucket, *measures)
            .where(ContactEvent.recorded_at >= local_midnight_utc(today, tz),
                   ContactEvent.recorded_at < local_midnight_utc(today + timedelta(days=1), tz)).group_by(bucket)):
        knocks, calls = int(knocks or 0), int(calls or 0)
        day_total.add("door", knocks, int(door_contacts or 0), int(dncs or 0), 0)
        day_total.add("phone", calls, int(connected or 0), 0, 0)
        # Whole-hour UTC buckets map exactly onto local hours for every whole-hour offset.
        when = datetime(int(text[:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), tzinfo=timezone.utc)
        hour = when.astimezone(tz)
        if hour.date() == today:
            hours[hour.hour][0] += knocks
            hours[hour.hour][1] += calls
    return ([(day, tallies.get(day, Tally())) for day in days], [(h, k, c) for h, (k, c) in sorted(hours.items())])
