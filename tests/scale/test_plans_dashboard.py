"""The state dashboard's week (issue 22: p95 <= 300 ms at 2.5 million doors), by its plans on the
made-up state of tests/scale/conftest.py: the busiest lists and volunteers are found by a bounded
top-N sort, not a rank() window over every key (a state's week has 20,000 lists: the window sorted
and numbered them all, twice the time); a state's page reads the period's figures of the wards it
shows, the rest summed in the database. Plans, not times: times depend on the machine."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app import db as dbmod
from app.organiser import dashboard as dash
from tests.scale.plans import Captured, explained, login, nodes

pytestmark = [pytest.mark.timeout(900), pytest.mark.shared_data]  # the first test may build the campaign


def _plans(app, path: str, wanted) -> list[tuple[str, dict]]:
    """(statement, analysed plan) of each statement ``wanted`` picks from a GET of ``path``."""
    client = app.test_client()
    login(client, "organiser@example.org")
    engine = dbmod.engine_for(app)
    with Captured(engine) as captured:
        assert client.get(path).status_code == 200
    return explained(engine, [(s, p) for s, p in captured.statements if wanted(s)])


def test_the_weeks_busiest_are_a_bounded_top_n_not_a_ranking_of_every_key(statewide_app):
    plans = _plans(statewide_app, "/organiser/dashboard?period=7d",
                   lambda s: re.search(r"GROUP BY activity_days\.(walk_list_id|actor_user_id)", s))
    assert len(plans) == 2, "the busiest lists and the busiest volunteers: one statement each"
    for statement, plan in plans:
        found = list(nodes(plan))
        assert not [n for n in found if n["Node Type"] == "WindowAgg"], statement[:300]
        # every sort bounded by its LIMIT (a top-N heapsort once the keys outnumber twice the bound)
        under_limit = [c for n in found if n["Node Type"] == "Limit" for c in n.get("Plans", [])]
        sorts = [n for n in found if n["Node Type"] == "Sort"]
        assert sorts and all(any(n is c for c in under_limit) for n in sorts), (statement[:300], sorts)
        assert plan["Actual Rows"] <= 4 * max(dash.LIST_ROWS, dash.VOLUNTEER_ROWS)  # a page of keys, not all


def test_a_states_week_reads_the_shown_wards_figures_only(statewide_app, monkeypatch):
    monkeypatch.setattr(dash, "AREA_DETAIL", 5)  # this small state's wards summarised, as a state's 1,000 are
    monkeypatch.setattr(dash, "AREA_EXTREMES", 2)
    with dbmod.engine_for(statewide_app).connect() as conn:
        wards = conn.execute(sa.text("SELECT count(*) FROM wards")).scalar_one()
        channels = conn.execute(sa.text("SELECT count(DISTINCT channel) FROM activity_days")).scalar_one()
    shown = 2 * dash.AREA_EXTREMES + 1  # the wards shown, and "the rest" summed
    assert wards > 2 * shown, "too few wards to summarise"
    plans = _plans(statewide_app, "/organiser/dashboard?period=7d",
                   lambda s: "FROM activity_days" in s and "GROUP BY" in s and "activity_days.ward_id" in s
                   and "GROUP BY activity_days.day" not in s and "walk_list_id" not in s)
    assert len(plans) == 1, "the period's area figures: one statement"
    assert plans[0][1]["Actual Rows"] <= shown * channels
