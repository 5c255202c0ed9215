"""CSV export: filters by area, dates, channel and code; every export audited; bad filters explained."""
import csv
import html
import io
import json
from datetime import timedelta

import pytest
from sqlmodel import select

from app.models import AuditEntry, Neighbourhood
from tests.support.canvass import done
from tests.support.maps import record


@pytest.fixture
def outcomes(db, make_ward, make_household, make_user, hours_ago):
    north, south = make_ward("N", neighbourhoods=2), make_ward("S", bounds=(-71.10, 42.36, -71.08, 42.38))
    hood2 = db.exec(select(Neighbourhood).where(Neighbourhood.code == "N-2")).one()
    a = make_household(north)
    b = make_household(north, neighbourhood_id=hood2.id)
    c = make_household(south)
    ann = make_user(email="ann@example.org", roles="canvasser")
    ids = {
        "a_spoke": record(db, a, "spoke", user=ann, when=hours_ago(1), support="2", notes="+1 likes dogs"),
        "b_not_home": record(db, b, "not_home", user=ann, when=hours_ago(1)),
        "c_call": record(db, c, "spoke", channel="phone", when=hours_ago(1), notes='=HYPERLINK("http://evil")'),
        "a_old": record(db, a, "not_home", user=ann, when=hours_ago(24 * 5)),
    }
    return {"north": north, "south": south, "hood2": hood2, "ids": ids}


def export(client, **params):
    response = client.get("/organiser/dashboard/export.csv", query_string=params)
    return response, list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_filters_pick_the_right_rows_and_each_export_is_audited(client, auth, db, outcomes, noon):
    auth.login_as("organiser")
    ids, day = outcomes["ids"], noon.date()
    cases = [
        ({}, set(ids.values())),
        ({"ward": outcomes["north"].id}, {ids["a_spoke"], ids["b_not_home"], ids["a_old"]}),
        ({"neighbourhood": outcomes["hood2"].id}, {ids["b_not_home"]}),
        ({"channel": "phone"}, {ids["c_call"]}),
        ({"channel": "door", "code": "spoke"}, {ids["a_spoke"]}),
        ({"code": "spoke"}, {ids["a_spoke"], ids["c_call"]}),
        ({"from": day.isoformat()}, {ids["a_spoke"], ids["b_not_home"], ids["c_call"]}),
        ({"to": (day - timedelta(days=1)).isoformat()}, {ids["a_old"]}),
    ]
    for params, expected in cases:
        response, rows = export(client, **params)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        assert {r["event_id"] for r in rows} == expected, params
    done(db)  # the server wrote the audit rows: read them in a fresh transaction
    audits = db.exec(select(AuditEntry).where(AuditEntry.action == "export.outcomes").order_by(AuditEntry.id)).all()
    assert len(audits) == len(cases)
    detail = json.loads(audits[2].detail)
    assert detail == {"filters": {"neighbourhood_id": outcomes["hood2"].id}, "rows": 1}
    assert audits[2].actor_user_id == auth.user.id


def test_csv_columns_and_spreadsheet_safety(client, auth, outcomes):
    auth.login_as("organiser")
    _, rows = export(client, ward=outcomes["north"].id, code="spoke")
    (row,) = rows
    assert (row["channel"], row["outcome"], row["contact"], row["volunteer"]) == ("door", "Spoke", "yes", "ann@example.org")
    assert row["ward"] == "N" and row["support_levels"].endswith(":2")
    assert row["notes"] == "'+1 likes dogs"        # would be a formula in a spreadsheet otherwise
    _, rows = export(client, ward=outcomes["south"].id)
    assert rows[0]["notes"] == "'=HYPERLINK(\"http://evil\")"


def test_times_on_the_campaign_clock_next_to_utc(client, auth, outcomes, hours_ago, noon):
    """The From/To filters are campaign-local days; the rows carry that clock too, and the file's
    name its date and time (the server's own clock is UTC)."""
    auth.login_as("organiser")
    response, rows = export(client, ward=outcomes["north"].id, code="spoke")
    (row,) = rows
    assert row["recorded_at_utc"] == hours_ago(1).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert row["recorded_at_local"] == f"{noon.date().isoformat()} 11:00:00"  # an hour before local noon
    assert list(rows[0])[:4] == ["event_id", "recorded_at_utc", "recorded_at_local", "received_at_utc"]
    from datetime import datetime
    from zoneinfo import ZoneInfo

    local_now = datetime.now(ZoneInfo("America/New_York"))
    stamps = {(local_now + timedelta(minutes=m)).strftime("%Y%m%d-%H%M") for m in (-1, 0)}
    assert any(f'filename="outcomes-{stamp}.csv"' in response.headers["Content-Disposition"] for stamp in stamps)


@pytest.mark.parametrize("params, message", [
    ({"ward": "abc"}, "Ward must be chosen from the list"),
    ({"ward": "999"}, "That ward does not exist"),
    ({"neighbourhood": "999"}, "That neighbourhood does not exist"),
    ({"from": "5/11/2024"}, "From must be a date like 2024-11-05"),
    ({"from": "2024-11-06", "to": "2024-11-05"}, "The From date is after the To date"),
    ({"channel": "email"}, "Channel must be door or phone"),
    ({"code": "bribed"}, "Unknown outcome code"),
    ({"channel": "door", "code": "no_answer"}, "Unknown outcome code 'no_answer' for door"),
])
def test_bad_filters_are_explained_and_nothing_is_exported(client, auth, db, outcomes, params, message):
    auth.login_as("organiser")
    response, _ = export(client, **params)
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "export.outcomes")).all() == []


def test_neighbourhood_outside_chosen_ward_is_refused(client, auth, outcomes):
    auth.login_as("organiser")
    response, _ = export(client, ward=outcomes["south"].id, neighbourhood=outcomes["hood2"].id)
    assert response.status_code == 422
    assert "not in the chosen ward" in response.get_data(as_text=True)
