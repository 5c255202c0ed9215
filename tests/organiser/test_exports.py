"""The contacts and people exports: labelled columns, filters, the audit entry, bad filters
explained, the old address, the dashboard's form."""
import html
import json
from datetime import timedelta

import pytest
from sqlmodel import select

from app.config import settings
from app.models import AuditEntry
from tests.support.canvass import done
from tests.support.exports import door, download

ISSUES = ["Issue: Housing", "Issue: Transport", "Issue: Schools", "Issue: Climate", "Issue: Public safety",
          "Issue: Cost of living", "Issue: Health care", "Other issues"]
FLAGS = ["Would volunteer", "Poster", "Postal vote"]


def test_contacts_columns_are_labelled_for_a_spreadsheet(client, auth, campaign):
    auth.login_as("organiser")
    response, rows = download(client, "contacts")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert list(rows[0]) == ["Date", "Time", "Channel", "Outcome", "Reached", "Volunteer", "Volunteer email",
                             "List or call sheet", "First name", "Last name", "Phone", "Email", "Address", "Postcode",
                             "Ward", "Neighbourhood", "Support", "Support value", *ISSUES, *FLAGS, "Notes", "Outcome code",
                             "Event ID", "Person ID", "Voter ID", "Household ID", "Recorded (UTC)", "Received (UTC)"]
    ids, people = campaign.ids, campaign.people
    # oldest first; the door where two people answered is two rows; the knock that reached nobody, one
    assert [(r["Event ID"], r["First name"]) for r in rows] == [
        (ids["a_old"], ""), (ids["a_spoke"], "Ada"), (ids["a_spoke"], "Abe"), (ids["b_not_home"], ""),
        (ids["c_call"], "Cal")]
    old, ada, abe, bea, cal = rows
    day = campaign.noon.date().isoformat()
    assert (ada["Date"], ada["Time"], ada["Recorded (UTC)"]) == (
        day, "10:00", (campaign.noon - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"))  # the campaign's clock
    assert {k: ada[k] for k in ("Channel", "Outcome", "Reached", "Volunteer", "Volunteer email", "List or call sheet",
                                "Last name", "Phone", "Address", "Postcode", "Ward", "Neighbourhood", "Support",
                                "Support value", "Person ID", "Voter ID", "Outcome code")} == {
        "Channel": "Door", "Outcome": "Spoke", "Reached": "yes", "Volunteer": "Ann Walker",
        "Volunteer email": "ann@example.org", "List or call sheet": "North 1", "Last name": "Example",
        "Phone": "(617) 555-0111", "Address": "12 Elm St", "Postcode": "02139", "Ward": "Ward N",
        "Neighbourhood": "N district 1", "Support": "Lean support", "Support value": "2",
        "Person ID": str(people["ada"].id), "Voter ID": "V-ada", "Outcome code": "spoke"}
    assert [ada[c] for c in ISSUES + FLAGS] == ["yes", "yes", "", "", "", "", "", "", "yes", "", ""]
    assert (abe["Support"], abe["Support value"], abe["Poster"], abe["Postal vote"], abe["Would volunteer"]) == (
        "Lean against", "4", "yes", "yes", "")
    assert ada["Notes"] == abe["Notes"] == "'+1 likes dogs"  # a formula to a spreadsheet otherwise
    assert (bea["Outcome"], bea["Reached"], bea["Person ID"], bea["Address"], bea["Neighbourhood"]) == (
        "Not home", "", "", "3 Oak St, Apt 2", "N district 2")
    assert old["Date"] == (campaign.noon - timedelta(days=5)).date().isoformat()
    assert {k: cal[k] for k in ("Channel", "Outcome", "Volunteer", "List or call sheet", "Support", "Issue: Climate",
                                "Notes", "Person ID")} == {
        "Channel": "Phone", "Outcome": "Spoke", "Volunteer": "Casey Caller", "List or call sheet": "Evening calls · 1/1",
        "Support": "Strong support", "Issue: Climate": "yes", "Notes": "'=HYPERLINK(\"http://evil\")",
        "Person ID": str(people["cal"].id)}
    assert 'filename="contacts-' in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"


def test_people_export_has_what_is_known_of_each_person(client, auth, db, campaign):
    ada = campaign.people["ada"]
    later = door(db, _household(db, ada), "spoke", user=campaign.ann,
                 when=campaign.noon - timedelta(minutes=30),
                 responses=[{"person_id": ada.id, "support_level": "3", "issues": ["Schools"]}])
    assert later
    auth.login_as("organiser")
    response, rows = download(client, "people")
    assert response.status_code == 200 and 'filename="people-' in response.headers["Content-Disposition"]
    assert list(rows[0]) == ["First name", "Last name", "Phone", "Email", "Address", "Postcode", "Ward", "Neighbourhood",
                             "Latest support", "Latest support value", "Support recorded", *ISSUES, *FLAGS,
                             "Last contact", "Last contact channel", "Last contact outcome", "Contacts",
                             "Voter ID", "Person ID", "Household ID"]
    by_name = {r["First name"]: r for r in rows}
    assert set(by_name) == {"Ada", "Abe", "Bea", "Cal"}
    a = by_name["Ada"]
    # the latest support wins; issues and flags from any contact; contacts = 2 knocks she answered + 1 nobody did
    assert (a["Latest support"], a["Latest support value"], a["Support recorded"]) == (
        "Undecided", "3", campaign.noon.date().isoformat())
    assert [a[c] for c in ISSUES + FLAGS] == ["yes", "yes", "yes", "", "", "", "", "", "yes", "", ""]
    assert (a["Last contact channel"], a["Last contact outcome"], a["Contacts"]) == ("Door", "Spoke", "3")
    b = by_name["Abe"]
    assert (b["Latest support"], b["Poster"], b["Postal vote"], b["Contacts"]) == ("Lean against", "yes", "yes", "2")
    assert (by_name["Bea"]["Latest support"], by_name["Bea"]["Last contact outcome"]) == ("", "Not home")
    assert (by_name["Cal"]["Last contact channel"], by_name["Cal"]["Latest support"]) == ("Phone", "Strong support")


def _household(db, person):
    from app.models import Household

    return db.get(Household, person.household_id)


def test_filters_pick_the_rows_and_each_export_is_audited(client, auth, db, campaign):
    auth.login_as("organiser")
    ids, day = campaign.ids, campaign.noon.date()
    north, south, hood2 = campaign.north.id, campaign.south.id, campaign.hood2.id
    cases = [  # (filters, contacts' event ids, people's first names)
        ({}, set(ids.values()), {"Ada", "Abe", "Bea", "Cal"}),
        ({"ward": north}, {ids["a_spoke"], ids["b_not_home"], ids["a_old"]}, {"Ada", "Abe", "Bea"}),
        ({"neighbourhood": hood2}, {ids["b_not_home"]}, {"Bea"}),
        ({"channel": "phone"}, {ids["c_call"]}, {"Cal"}),
        ({"channel": "door", "code": "spoke"}, {ids["a_spoke"]}, {"Ada", "Abe"}),
        ({"code": "not_home"}, {ids["b_not_home"], ids["a_old"]}, {"Ada", "Abe", "Bea"}),
        ({"from": day.isoformat()}, {ids["a_spoke"], ids["b_not_home"], ids["c_call"]}, {"Ada", "Abe", "Bea", "Cal"}),
        ({"to": (day - timedelta(days=1)).isoformat()}, {ids["a_old"]}, {"Ada", "Abe"}),
        ({"ward": south, "channel": "door"}, set(), set()),
    ]
    expected_rows = {}
    for params, events, names in cases:
        response, rows = download(client, "contacts", **params)
        assert response.status_code == 200 and {r["Event ID"] for r in rows} == events, params
        expected_rows.setdefault("contacts", []).append(len(rows))
        response, rows = download(client, "people", **params)
        assert response.status_code == 200 and {r["First name"] for r in rows} == names, params
        expected_rows.setdefault("people", []).append(len(rows))
    done(db)  # the server wrote the audit rows: read them in a fresh transaction
    for kind, target in (("contacts", "contact_events"), ("people", "people")):
        audits = db.exec(select(AuditEntry).where(AuditEntry.action == f"export.{kind}").order_by(AuditEntry.id)).all()
        assert [json.loads(a.detail)["rows"] for a in audits] == expected_rows[kind]  # the rows sent
        assert json.loads(audits[2].detail)["filters"] == {"neighbourhood_id": hood2}
        assert json.loads(audits[4].detail)["filters"] == {"channel": "door", "code": "spoke"}
        assert {(a.actor_user_id, a.actor_label, a.target) for a in audits} == {(auth.user.id, auth.user.email, target)}


BAD = [
    ({"ward": "abc"}, "Ward must be chosen from the list"),
    ({"ward": "999"}, "That ward does not exist"),
    ({"neighbourhood": "999"}, "That neighbourhood does not exist"),
    ({"from": "5/11/2024"}, "From must be a date like 2024-11-05"),
    ({"from": "2024-11-06", "to": "2024-11-05"}, "The From date is after the To date"),
    ({"channel": "email"}, "Channel must be door, phone or relational"),
    ({"code": "bribed"}, "Unknown outcome code"),
    ({"channel": "door", "code": "no_answer"}, "Unknown outcome code 'no_answer' for door"),
]


@pytest.mark.parametrize("kind", ["contacts", "people"])
@pytest.mark.parametrize("params, message", BAD)
def test_bad_filters_are_explained_and_nothing_is_exported(client, auth, db, campaign, kind, params, message):
    auth.login_as("organiser")
    response = client.get(f"/organiser/exports/{kind}.csv", query_string=params)
    assert response.status_code == 422 and response.mimetype == "text/html"
    assert message in html.unescape(response.get_data(as_text=True))
    assert db.exec(select(AuditEntry).where(AuditEntry.action.like("export.%"))).all() == []


def test_neighbourhood_outside_chosen_ward_is_refused(client, auth, campaign):
    auth.login_as("organiser")
    response = client.get("/organiser/exports/people.csv",
                          query_string={"ward": campaign.south.id, "neighbourhood": campaign.hood2.id})
    assert response.status_code == 422 and "not in the chosen ward" in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["canvasser", "caller", "volunteer"])
def test_volunteers_get_no_export(client, auth, db, campaign, role):
    auth.login_as(role)
    for kind in ("contacts", "people"):
        assert client.get(f"/organiser/exports/{kind}.csv").status_code == 403
    assert db.exec(select(AuditEntry).where(AuditEntry.action.like("export.%"))).all() == []


def test_the_old_address_passes_its_filters_on(client, auth, campaign):
    auth.login_as("organiser")
    response = client.get("/organiser/dashboard/export.csv", query_string={"channel": "phone", "ward": campaign.south.id})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/organiser/exports/contacts.csv?channel=phone&ward={campaign.south.id}")


def test_the_dashboard_offers_both_exports(client, auth, campaign):
    auth.login_as("organiser")
    page = client.get("/organiser/dashboard").get_data(as_text=True)
    assert 'action="/organiser/exports/contacts.csv"' in page
    assert 'formaction="/organiser/exports/people.csv"' in page
    assert f"Times are the campaign's ({settings().timezone})" in page


def test_an_export_of_a_universe_holds_only_its_people(client, auth, db, campaign):
    from app.db import write_transaction
    from app.universes.operations import create_universe

    with client.application.app_context():
        conf = settings()
    lean = write_transaction(db, lambda s: create_universe(
        s, name="Leaning our way", definition={"kind": "support", "levels": ["2"]}, settings=conf).id)
    done(db)
    auth.login_as("organiser")
    _, everyone = download(client, "people")
    response, rows = download(client, "people", universe=lean)
    assert response.status_code == 200 and len(everyone) > len(rows)
    assert [r["Person ID"] for r in rows] == [str(campaign.people["ada"].id)]
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "export.people")
                    .order_by(AuditEntry.id.desc())).first()
    assert json.loads(entry.detail)["universe"] == lean
    assert "Leaning our way" in client.get("/organiser/dashboard").get_data(as_text=True)
    bad = client.get("/organiser/exports/people.csv", query_string={"universe": "x"})
    assert bad.status_code == 422 and "Universe must be chosen from the list" in bad.get_data(as_text=True)
    assert client.get("/organiser/exports/contacts.csv", query_string={"universe": 999999}).status_code == 404
