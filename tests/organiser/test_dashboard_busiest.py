"""The dashboard's busiest lists and volunteers and a state's area figures, read bounded
(app/organiser/dashboard_reads.py): the top N of a period is the full ranking's first N, ties at
the last place included, with the same sums and count; a state's page reads only the wards it shows,
and its totals are the whole state's."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from app.config import settings
from app.db import write_transaction
from app.models import ActivityDay
from app.organiser import dashboard as dash
from app.organiser import dashboard_reads as reads
from tests.support.maps import record

TODAY = date(2026, 11, 20)
CHANNELS = ("door", "phone", "relational")
FIELDS = ("events", "contacts", "dncs", "supporters", "undecided", "against")

day_rows = st.lists(st.fixed_dictionaries({
    "day": st.integers(0, 9).map(lambda n: TODAY - timedelta(days=n)),
    "ward_id": st.integers(0, 3), "neighbourhood_id": st.integers(0, 2),
    "walk_list_id": st.integers(0, 12), "actor_user_id": st.integers(0, 6), "actor_pin_id": st.integers(0, 2),
    "channel": st.sampled_from(CHANNELS),
    # small counts: ties at the last place are common, the case a LIMIT alone gets wrong
    **{name: st.integers(0, 4) for name in FIELDS}}), max_size=60)


def _store(db, rows) -> None:
    merged = {}
    for row in rows:  # one row per rollup key, as the fold keeps them
        key = tuple(row[k] for k in ("day", "ward_id", "neighbourhood_id", "walk_list_id", "actor_user_id",
                                     "actor_pin_id", "channel"))
        merged.setdefault(key, dict(row))

    def write(session):
        session.execute(sa.delete(ActivityDay))
        session.add_all([ActivityDay(**row) for row in merged.values()])

    write_transaction(db, write)
    return list(merged.values())


def _ranked(rows, keys, since_day, limit):
    """The full ranking, in Python: every key's sums, and those at or above the limit-th activity."""
    sums = defaultdict(lambda: defaultdict(int))
    for row in rows:
        key = tuple(row[k] for k in keys)
        if row["day"] < since_day or not any(key):
            continue
        t = sums[key]
        door, talk = row["channel"] == "door", row["channel"] == "relational"
        t["activity"] += row["events"] if not talk else 0
        t["knocks" if door else "talks" if talk else "calls"] += row["events"]
        t["door_contacts" if door else "talked" if talk else "connected"] += row["contacts"]
        t["dnc"] += row["dncs"]
        for name in ("supporters", "undecided", "against"):
            t[name] += row[name]
    activities = sorted((t["activity"] for t in sums.values()), reverse=True)
    floor = activities[limit - 1] if len(activities) >= limit else 0
    return len(sums), {k: {n: t[n] for n in reads.TALLY} for k, t in sums.items() if t["activity"] >= floor}


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=day_rows, limit=st.integers(1, 6), back=st.integers(0, 9),
       keys=st.sampled_from([("walk_list_id",), ("actor_user_id", "actor_pin_id")]))
def test_the_busiest_are_the_full_rankings_first_n_with_ties(db, rows, limit, back, keys):
    rows = _store(db, rows)
    since_day = TODAY - timedelta(days=back)
    count, found = reads.busiest(db, keys, since_day=since_day, scope=None, limit=limit)
    expected_count, expected = _ranked(rows, keys, since_day, limit)
    assert count == expected_count
    assert {k: {n: getattr(t, n) for n in reads.TALLY} for k, t in found.items()} == expected


@pytest.fixture
def state(db, make_ward, make_household, make_user, monkeypatch, hours_ago):
    monkeypatch.setattr(dash, "AREA_DETAIL", 3)
    monkeypatch.setattr(dash, "AREA_EXTREMES", 1)
    ann = make_user(roles="canvasser", name="Ann")
    wards = [make_ward(f"B{n}", name=f"Ward {n}", bounds=(-71.12 + n * 0.01, 42.36, -71.11 + n * 0.01, 42.37))
             for n in range(5)]
    for n, ward in enumerate(wards):  # ward n: n doors knocked (and one called, a day ago)
        homes = [make_household(ward) for _ in range(4)]
        for home in homes[:n]:
            record(db, home, "spoke", user=ann, when=hours_ago(0.5 + n))
        record(db, homes[3], "no_answer", channel="phone", user=ann, when=hours_ago(26))
    return wards


def test_a_state_reads_the_shown_wards_rows_and_sums_the_rest(db, state):
    shown = [state[0].id, state[4].id]
    summed = list(reads.area_tallies(db, since_day=None, scope=None, by_neighbourhood=False, wards=shown))
    whole = list(reads.area_tallies(db, since_day=None, scope=None, by_neighbourhood=False))
    assert {w for w, *_ in summed} == {*shown, reads.OTHERS}
    assert [w for w, *_ in whole if w not in shown] and len(summed) < len(whole)

    def totals(rows):
        out = defaultdict(lambda: [0] * len(reads.COUNTS))
        for _ward, _hood, channel, *counts in rows:
            out[channel] = [a + b for a, b in zip(out[channel], counts)]
        return dict(out)

    assert totals(summed) == totals(whole)


@pytest.mark.parametrize("period", ["today", "7d", "all"])
def test_a_states_totals_and_shown_wards_are_the_whole_tables(db, state, monkeypatch, period, noon):
    summarised = dash.build_dashboard(db, settings=settings(), period=period, now=noon)
    monkeypatch.setattr(dash, "AREA_DETAIL", 60)
    every = dash.build_dashboard(db, settings=settings(), period=period, now=noon)
    assert summarised.total == every.total and summarised.city == every.city
    assert (summarised.ward_count, every.ward_count) == (5, 5)
    rows = {r.key: r for r in every.wards}
    assert [(r.key, r.extra["rank"]) for r in summarised.wards] == [(state[4].id, "most"), (state[0].id, "least")]
    for row in summarised.wards:
        assert (row.tally, row.coverage, row.label) == (rows[row.key].tally, rows[row.key].coverage, rows[row.key].label)
