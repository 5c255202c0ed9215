"""People, walk lists, volunteers, contact events, answers and audit entries for the made-up state,
written with PostgreSQL COPY in the shapes the app writes (the columns of app/models; the derived
tables are left to Legwork's own ``rebuild_summary``).

Everything is made per precinct (its doors in street order, read back after the import), so the
generator holds one precinct and one COPY buffer at a time. Ids are given explicitly, so rows of
one table can point at rows of another before either is read back; each sequence is moved on at
the end.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import uuid
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.imports.fake_people import FIRST_NAMES, LAST_NAMES
from app.imports.phones import NANP_AREA_CODES
from app.sorting import sort_key

DOORS_PER_LIST = 50             # 2.5 million doors in 50,000 lists
# 20 million events over 2.5 million doors, eight a door: 4-10 walks of its list knocking 80% of
# the doors (5.6 door events a door) and 0-5 calls (2.5) to a door with a phone.
WALKS_PER_LIST = (4, 10)
KNOCKED_SHARE = 0.8
CALLS_PER_HOUSEHOLD = (0, 5)
HOUSEHOLDS_PER_VOLUNTEER = 500  # 5,000 volunteers
AUDIT_PER_HOUSEHOLD = 0.1
DAYS = 182                      # six months of history
ACTIVE_SHARE = 0.3              # lists still out (their doors reserved); the rest released
ANSWER_SHARE = 0.6              # contacts that leave a support answer
FLUSH_ROWS = 200_000


@dataclass
class Counts:
    people: int = 0
    lists: int = 0
    doors: int = 0
    events: int = 0
    answers: int = 0
    volunteers: int = 0
    audit: int = 0
    phones: int = 0


def _text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


@dataclass
class CopyBuffer:
    """Rows of one table in COPY text format, written out in order of the FK chain."""

    table: str
    columns: tuple[str, ...]
    out: io.StringIO = field(default_factory=io.StringIO)
    rows: int = 0

    def add(self, *values) -> None:
        self.out.write("\t".join(map(_text, values)))
        self.out.write("\n")
        self.rows += 1

    def flush(self, cursor) -> None:
        if not self.rows:
            return
        with cursor.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
            copy.write(self.out.getvalue())
        self.out = io.StringIO()
        self.rows = 0


class State:
    """The generator's random choices, seeded; ids handed out in order."""

    def __init__(self, *, seed: int, settings, households: int, now: dt.datetime):
        self.rng = random.Random(seed)
        self.now = now
        self.start = now - dt.timedelta(days=DAYS)
        self.door_codes = [c.code for c in settings.door_outcomes]
        self.door_weights = [30, 45, 8, 2, 8, 3, 2, 2][:len(self.door_codes)] + [1] * max(0, len(self.door_codes) - 8)
        self.phone_codes = [c.code for c in settings.phone_dispositions]
        self.contact = {(ch, c.code) for ch in ("door", "phone") for c in settings.codes(ch).values() if c.contact}
        self.support = [v for v, _ in settings.support_scale]
        self.volunteers = max(10, round(households / HOUSEHOLDS_PER_VOLUNTEER))
        # User 1 is the organiser; volunteers 2..; every third one calls, the others knock doors.
        self.canvassers = [2 + i for i in range(self.volunteers) if i % 3]
        self.callers = [2 + i for i in range(self.volunteers) if not i % 3]
        self.person_id = 0
        self.list_id = 0
        self.door_id = 0
        self.counts = Counts(volunteers=self.volunteers)
        self.stamp = now.isoformat(sep=" ")

    def when(self) -> dt.datetime:
        # Campaigns get busier towards the vote: the square root skews the days towards now.
        return self.start + dt.timedelta(seconds=DAYS * 86400 * self.rng.random() ** 0.5)

    def phone(self) -> str:
        return f"+1{self.rng.choice(NANP_AREA_CODES)}55501{self.rng.randrange(100):02d}"

    def event_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def buffers() -> dict[str, CopyBuffer]:
    """One per table, in the order they must reach the database (each row's targets first)."""
    return {b.table: b for b in (
        CopyBuffer("walk_lists", ("id", "name", "sort_key", "code", "ward_id", "neighbourhood_id", "status", "door_count",
                                  "length_m", "est_minutes", "hull", "created_by_id", "created_at", "released_at")),
        CopyBuffer("walk_list_doors", ("id", "walk_list_id", "household_id", "position")),
        CopyBuffer("assignments", ("walk_list_id", "user_id", "assigned_by_id", "assigned_at", "unassigned_at")),
        CopyBuffer("people", ("id", "household_id", "first_name", "last_name", "phone", "phone_type", "created_at",
                              "updated_at")),
        CopyBuffer("contact_events", ("id", "channel", "code", "household_id", "person_id", "walk_list_id",
                                      "actor_user_id", "recorded_at", "received_at", "notes")),
        CopyBuffer("survey_responses", ("event_id", "person_id", "support_level", "issues", "volunteer_interest",
                                        "postal_vote", "poster")),
    )}


def precinct(state: State, out: dict[str, CopyBuffer], doors: list) -> None:
    """Lists of ~50 doors in street order, residents, and their six months of contacts.

    As a campaign works: each list is walked in a few sessions (a canvasser, a day), each knocking
    most of its doors in walking order; a precinct's numbers are called in phone-bank sessions (a
    caller, an evening). So the day rollups hold a few rows per list and session, as in real use,
    not one per event."""
    rng, counts = state.rng, state.counts
    calls = [(state.when(), rng.choice(state.callers)) for _ in range(max(1, len(doors) // 20))]
    for start in range(0, len(doors), DOORS_PER_LIST):
        part = doors[start:start + DOORS_PER_LIST]
        state.list_id += 1
        lid = state.list_id
        active = rng.random() < ACTIVE_SHARE
        canvasser = rng.choice(state.canvassers)
        walks = sorted((state.when(), rng.choice(state.canvassers)) for _ in range(rng.randint(*WALKS_PER_LIST)))
        created = walks[0][0] - dt.timedelta(days=1)
        walks[-1] = (walks[-1][0], canvasser)  # the last walk is the assigned canvasser's
        lons, lats = [d.lon for d in part], [d.lat for d in part]
        box = (min(lons) - 2e-4, max(lons) + 2e-4, min(lats) - 2e-4, max(lats) + 2e-4)
        hull = ('{"type": "Polygon", "coordinates": [[[%r, %r], [%r, %r], [%r, %r], [%r, %r], [%r, %r]]]}'
                % (box[0], box[2], box[1], box[2], box[1], box[3], box[0], box[3], box[0], box[2]))
        released = None if active else min(walks[-1][0] + dt.timedelta(days=1), state.now)
        name = f"{part[0].street} · {lid}"
        out["walk_lists"].add(lid, name, sort_key(name), f"SW{lid:08d}", part[0].ward_id, part[0].neighbourhood_id,
                              "active" if active else "released", len(part), 40.0 * len(part), 1.5 * len(part), hull,
                              1, created, released)
        out["assignments"].add(lid, canvasser, 1, created, released)
        counts.lists += 1
        for position, door in enumerate(part):
            state.door_id += 1
            out["walk_list_doors"].out.write(f"{state.door_id}\t{lid}\t{door.id}\t{position}\n")
            out["walk_list_doors"].rows += 1
            counts.doors += 1
            residents = _residents(state, out, door.id)
            step = dt.timedelta(minutes=1.2 * position)
            knocks = [(at + step, who) for at, who in walks if rng.random() < KNOCKED_SHARE]
            _events(state, out, door.id, residents, lid, knocks, calls)


def _residents(state: State, out, household_id: int) -> list[tuple[int, bool]]:
    # The hot path (5 million rows at full size): COPY text written directly, names need no escaping.
    rng, stamp = state.rng, state.stamp
    family = rng.choice(LAST_NAMES)
    residents = []
    write = out["people"].out.write
    for _ in range(rng.choice((1, 1, 2, 2, 2, 3, 3, 2))):  # two per door on average
        state.person_id += 1
        has = rng.random() < 0.8
        last = family if rng.random() < 0.8 else rng.choice(LAST_NAMES)
        phone = f"+1{rng.choice(NANP_AREA_CODES)}55501{rng.randrange(100):02d}\tmobile" if has else "\\N\t"
        write(f"{state.person_id}\t{household_id}\t{rng.choice(FIRST_NAMES)}\t{last}\t{phone}\t{stamp}\t{stamp}\n")
        residents.append((state.person_id, has))
    out["people"].rows += len(residents)
    state.counts.people += len(residents)
    state.counts.phones += sum(has for _, has in residents)
    return residents


def _events(state: State, out, household_id: int, residents, list_id: int, knocks, calls) -> None:
    rng, counts = state.rng, state.counts
    phones = [pid for pid, has in residents if has]
    events, answers = out["contact_events"], out["survey_responses"]
    dialled = [rng.choice(calls) for _ in range(rng.randint(*CALLS_PER_HOUSEHOLD))] if phones else []
    for (when, actor), channel in [(k, "door") for k in knocks] + [(c, "phone") for c in dialled]:
        at = when.isoformat(sep=" ")
        eid = state.event_id()
        if channel == "door":
            code = rng.choices(state.door_codes, state.door_weights)[0]
            person, lid, answerer = "\\N", list_id, rng.choice(residents)[0]
        else:
            code = rng.choice(state.phone_codes)
            answerer = rng.choice(phones)
            person, lid = answerer, "\\N"
        events.out.write(f"{eid}\t{channel}\t{code}\t{household_id}\t{person}\t{lid}\t{actor}\t{at}\t{at}\t\n")
        events.rows += 1
        counts.events += 1
        if (channel, code) in state.contact and rng.random() < ANSWER_SHARE:
            flags = "\t".join("t" if rng.random() < share else "f" for share in (0.05, 0.03, 0.05))
            answers.out.write(f"{eid}\t{answerer}\t{rng.choice(state.support)}\t\t{flags}\n")
            answers.rows += 1
            counts.answers += 1


def flush(cursor, out: dict[str, CopyBuffer], *, force: bool = False) -> bool:
    if not force and sum(b.rows for b in out.values()) < FLUSH_ROWS:
        return False
    for buffer in out.values():
        buffer.flush(cursor)
    return True


def volunteers(state: State, cursor, zips: list[tuple[str, float, float]]) -> None:
    """The organiser (user 1, organiser@example.org) and the volunteers with their sign-ups."""
    rng, now = state.rng, state.now
    users = CopyBuffer("users", ("id", "email", "name", "password_hash", "roles", "is_active", "created_at",
                                 "session_generation"))
    profiles = CopyBuffer("volunteer_profiles", ("user_id", "postcode", "lat", "lon", "availability", "interests",
                                                 "consent_text", "consented_at", "email_confirmed_at", "trusted_host",
                                                 "created_at"))
    from werkzeug.security import generate_password_hash

    users.add(1, "organiser@example.org", "State Organiser", generate_password_hash("statewide password"),
              "organiser", True, now, 0)
    for uid in range(2, state.volunteers + 2):
        role = "caller" if (uid - 2) % 3 == 0 else "canvasser"
        joined = state.when()
        users.add(uid, f"volunteer{uid:06d}@example.org", f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                  None, f"volunteer {role}", True, joined, 0)
        postcode, lat, lon = rng.choice(zips)
        profiles.add(uid, postcode, lat, lon, "weekends", "knock_doors phone" if role == "caller" else "knock_doors",
                     "I agree", joined, joined, False, joined)
    users.flush(cursor)
    profiles.flush(cursor)


def audit(state: State, cursor, households: int) -> None:
    rng = state.rng
    entries = CopyBuffer("audit_log", ("at", "actor_user_id", "actor_label", "action", "target", "detail", "ip"))
    total = round(households * AUDIT_PER_HOUSEHOLD)
    for i in range(total):
        uid = rng.randrange(2, state.volunteers + 2)
        entries.add(state.when(), uid, f"volunteer{uid:06d}@example.org", rng.choice(("login", "login", "list.open")),
                    f"user:{uid}", "", "192.0.2.1")
        if entries.rows >= FLUSH_ROWS:
            entries.flush(cursor)
    entries.flush(cursor)
    state.counts.audit = total


def move_sequences(connection) -> None:
    for table in ("users", "people", "walk_lists", "walk_list_doors"):
        connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                   f"(SELECT coalesce(max(id), 1) FROM {table}))"))
