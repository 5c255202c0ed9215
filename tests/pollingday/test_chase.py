"""The ballot chase list: supporters (latest answer, door or phone, no elector number needed)
whose ballot is out (requested or sent) and not back; its page with counts and filters, who may
see it, and the CSV."""
from __future__ import annotations

import html
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.models import AuditEntry, DoNotContact, Neighbourhood, Person, Voted, Ward
from app.params import MAX_ID
from app.pollingday.ballots import import_ballot_status
from app.pollingday.chase import Area, chase_count, chase_list, status_counts
from tests.support.pledges import answer

BIG = 2**63


def listed(db, settings, **kw) -> list[str]:
    rows = chase_list(db, settings=settings, **kw)
    db.rollback()
    return [r.voter_id for r in rows]


def test_supporters_with_a_ballot_out_and_not_back(db, chase, settings):
    assert listed(db, settings) == ["TV000001", "TV000002", "TV000006"]   # by street, then number
    assert chase_count(db, settings=settings) == 3
    row = chase_list(db, settings=settings)[0]
    assert (row.name, row.address, row.phone, row.status, row.neighbourhood) == (
        "Avery Quill", "10 Juniper St", "+16175550101", "sent", "District AA")
    assert status_counts(db, settings=settings) == {"requested": (1, 1), "sent": (2, 3), "returned": (1, 1),
                                                   "voted_early": (1, 1), "rejected": (1, 1)}


def test_a_later_answer_the_ledger_or_the_strike_off_takes_someone_off(db, chase, settings):
    answer(db, chase["TV000006"], "5", minutes_ago=1, channel="phone")      # changed their mind
    write_transaction(db, lambda s: s.add(DoNotContact(person_id=chase["TV000001"], reason="asked")))
    assert listed(db, settings) == ["TV000002"]
    write_transaction(db, lambda s: s.add(Voted(person_id=chase["TV000002"], telling_id="t-1",
                                                voted_at=datetime.now(timezone.utc))))
    assert listed(db, settings) == []


def test_a_number_on_the_ledger_blocks_its_person(db, chase, settings):
    write_transaction(db, lambda s: s.add(DoNotContact(phone="+16175550106", channel="phone")))
    assert listed(db, settings) == ["TV000001", "TV000002"]


def test_a_returned_ballot_in_the_next_file_takes_them_off(db, chase, settings, tmp_path):
    path = tmp_path / "today.csv"
    path.write_text("Voter ID,Ballot Status,Ballot Return Date,Ballot Issued Date,Application Date\n"
                    "TV000001,Ballot Returned,10/22/2026,,\n", encoding="utf-8")
    write_transaction(db, lambda s: import_ballot_status(s, source=path))
    assert listed(db, settings) == ["TV000002", "TV000006"]


def test_no_supporter_values_no_list(db, chase, settings):
    import dataclasses

    nobody = dataclasses.replace(settings, supporter_values=frozenset())
    assert listed(db, nobody) == [] and chase_count(db, settings=nobody) == 0
    assert status_counts(db, settings=nobody)["sent"] == (0, 3)


def test_filtered_by_area(db, chase, settings, districts):
    assert listed(db, settings, area=Area(neighbourhood_id=districts["AB"])) == ["TV000006"]
    ward_id = db.execute(sa.select(Ward.id)).scalar_one()
    assert listed(db, settings, area=Area(ward_id=ward_id)) == ["TV000001", "TV000002", "TV000006"]
    assert status_counts(db, settings=settings, area=Area(neighbourhood_id=districts["AA"]))["sent"] == (1, 2)


def test_the_page(client, auth, chase, districts):
    auth.login_as("committee")
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert "To chase: 3" in page and "Avery Quill" in page and "(617) 555-0101" in page
    assert "Casey Rowan" not in page and "Dana Sorrel" not in page and "Harper Wren" not in page
    page = client.get(f"/polling-day/chase?neighbourhood={districts['AB']}").get_data(as_text=True)
    assert "To chase: 1" in page and "Frankie Umber" in page and "Avery Quill" not in page
    assert f"/polling-day/chase.csv?neighbourhood={districts['AB']}" in page


def test_the_csv_is_audited_and_safe_in_a_spreadsheet(client, auth, db, chase):
    user = auth.login_as("organiser")
    write_transaction(db, lambda s: s.get(Person, chase["TV000001"]).__setattr__("first_name", "=HYPERLINK(1)"))
    response = client.get("/polling-day/chase.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "private, no-store"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "person_id,voter_id,name,address,ward,neighbourhood,phone,ballot_status,status_date"
    assert lines[1].split(",")[1:] == ["TV000001", "'=HYPERLINK(1) Quill", "10 Juniper St", "Testville", "District AA",
                                       "(617) 555-0101", "sent", "2026-10-05"]
    assert len(lines) == 4
    entry = db.execute(sa.select(AuditEntry).where(AuditEntry.action == "export.chase_list")).scalar_one()
    assert entry.actor_user_id == user.id and '"rows": 3' in entry.detail
    db.rollback()


def test_a_team_lead_sees_their_areas_only(client, auth, db, chase, districts, make_team, make_user):
    lead = make_user(roles="volunteer")
    make_team(neighbourhoods=[db.get(Neighbourhood, districts["AB"])], leads=[lead])
    db.rollback()
    auth.login(lead.email)
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert "To chase: 1" in page and "Frankie Umber" in page and "Avery Quill" not in page
    assert client.get(f"/polling-day/chase?neighbourhood={districts['AA']}").status_code == 403
    assert client.get("/polling-day/chase.csv").get_data(as_text=True).count("\n") == 2


def test_others_are_refused(client, auth, chase):
    assert client.get("/polling-day/chase").status_code == 302   # to sign in
    auth.login_as("canvasser")
    assert client.get("/polling-day/chase").status_code == 403
    assert client.get("/polling-day/chase.csv").status_code == 403


@pytest.mark.parametrize("query, message", [
    (f"ward={BIG}", "Ward must be chosen from the list"),
    (f"ward={MAX_ID + 1}", "Ward must be chosen from the list"),
    ("ward=one", "Ward must be chosen from the list"),
    (f"ward={MAX_ID}", "That ward does not exist."),
    (f"neighbourhood={2**64}", "Neighbourhood must be chosen from the list"),
    ("neighbourhood=0", "Neighbourhood must be chosen from the list"),
    ("neighbourhood=999", "That neighbourhood does not exist."),
    ("ward=%00", "The query parameter 'ward' contains a NUL character."),
])
def test_bad_filters_get_a_clear_422(client, auth, chase, query, message):
    auth.login_as("organiser")
    for path in ("/polling-day/chase", "/polling-day/chase.csv"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 422, path
        assert message in html.unescape(response.get_data(as_text=True))


def test_a_neighbourhood_outside_the_ward_is_a_422(client, auth, db, chase, districts, make_ward):
    other = make_ward(code="W9", bounds=(-70.0, 42.0, -69.9, 42.1))
    auth.login_as("organiser")
    response = client.get(f"/polling-day/chase?ward={other.id}&neighbourhood={districts['AA']}")
    assert response.status_code == 422 and "That neighbourhood is not in the chosen ward." in response.get_data(as_text=True)
