"""The chase page's statewide table for a state-size election (app/pollingday/ballot_tally.py): past
``ballot_tally_above`` ballots it is the shared last count, counted again by one request at a time
after the page is sent, dropped when a ballot file or a purge changes the ballots; a ward's stays
live, and the state's page asks for an area instead of listing."""
from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.models import BallotTally, Neighbourhood, Ward
from app.pollingday import ballot_tally
from app.pollingday.ballots import import_ballot_status
from app.pollingday.chase import status_counts
from tests.support.pledges import answer
from tests.support.pollingday import DATA

STATE_SIZE = pytest.mark.parametrize("app", [{"POLLINGDAY": {"ballot_tally_above": 2}}], indirect=True)
T0 = datetime(2026, 11, 2, 15, 0, tzinfo=timezone.utc)


def counts_json(client) -> dict:
    response = client.get("/polling-day/chase/counts", headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def cells(pair: tuple[int, int]) -> str:
    return f"<td>{pair[0]}</td><td>{pair[1]}</td>"


def row(page: str, status: str) -> str:
    label = status.replace("_", " ").capitalize()
    return page.split(f'<th scope="row">{label}</th>', 1)[1].split("</tr>", 1)[0]


@STATE_SIZE
def test_the_state_page_is_sent_before_the_count_then_the_count_fills_it(client, auth, db, chase, settings):
    auth.login_as("committee")
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert "Counting every ballot in the state" in page and 'data-src="/polling-day/chase/counts"' in page
    assert "pollingday/chase-counts.js" in page
    assert "Choose a ward or neighbourhood" in page and "Avery Quill" not in page  # no state-wide rows
    assert "To chase: 3" in page
    body = counts_json(client)
    assert body["counting"] is False and "Counted at" in body["html"]
    live = status_counts(db, settings=settings)
    db.rollback()
    assert live["sent"] == (2, 3) and row(body["html"], "sent") == cells(live["sent"])
    assert all(row(body["html"], status) == cells(pair) for status, pair in live.items())
    page = client.get("/polling-day/chase").get_data(as_text=True)  # now from the shared count
    assert "Counted at" in page and "data-src" not in page and "chase-counts.js" not in page
    assert row(page, "sent") == row(body["html"], "sent")


@STATE_SIZE
def test_a_new_answer_shows_once_the_count_is_old(client, auth, db, chase, app):
    auth.login_as("organiser")
    counts_json(client)
    answer(db, chase["TV000004"], "1", minutes_ago=1)  # the "against" with a ballot sent, won over
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert row(page, "sent") == cells((2, 3))  # the shared count, not yet counted again
    counted = db.execute(sa.select(BallotTally.counted_at)).scalar_one()
    write_transaction(db, lambda s: s.execute(sa.update(BallotTally).values(counted_at=counted - timedelta(seconds=61))))
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert "counting again" in page and 'data-src="/polling-day/chase/counts"' in page
    assert row(counts_json(client)["html"], "sent") == cells((3, 3))


@STATE_SIZE
def test_a_ballot_file_or_a_purge_drops_the_count(client, auth, db, chase, settings, tmp_path):
    from app.purge import purge_personal_data

    auth.login_as("organiser")
    counts_json(client)
    again = tmp_path / "ballots.csv"
    again.write_text("Voter ID,Ballot Status,Ballot Return Date,Ballot Issued Date,Application Date\n"
                     "TV000001,Ballot Returned,10/22/2026,,\n", encoding="utf-8")
    write_transaction(db, lambda s: import_ballot_status(s, source=again))
    assert db.execute(sa.select(sa.func.count()).select_from(BallotTally)).scalar_one() == 0
    assert "Counting every ballot" in client.get("/polling-day/chase").get_data(as_text=True)
    assert row(counts_json(client)["html"], "sent") == cells((1, 2))  # TV000001's came back
    write_transaction(db, lambda s: purge_personal_data(s, before=T0 - timedelta(days=3650), settings=settings))
    assert db.execute(sa.select(sa.func.count()).select_from(BallotTally)).scalar_one() == 0


def test_an_unchanged_file_keeps_the_count(db, chase):
    write_transaction(db, lambda s: ballot_tally.claim(s, now=T0))
    write_transaction(db, lambda s: import_ballot_status(s, source=DATA / "ballot_status.csv"))  # same rows
    assert db.execute(sa.select(BallotTally.counting_since)).scalar_one() is not None


def test_one_count_at_a_time_and_a_dead_count_is_taken_over(db, settings):
    assert write_transaction(db, lambda s: ballot_tally.claim(s, now=T0)) is True
    assert write_transaction(db, lambda s: ballot_tally.claim(s, now=T0 + timedelta(seconds=5))) is False
    later = T0 + timedelta(seconds=ballot_tally.CLAIM_SECONDS + 1)
    assert write_transaction(db, lambda s: ballot_tally.claim(s, now=later)) is True
    counts = {"sent": (1, 2)}
    # the first count, taken over, is not stored over the second
    assert write_transaction(db, lambda s: ballot_tally.store(s, claimed=T0, counts=counts, settings=settings)) is False
    assert write_transaction(db, lambda s: ballot_tally.store(s, claimed=later, counts=counts,
                                                              settings=settings)) is True
    tally = ballot_tally.read(db, settings=settings, now=later + timedelta(seconds=1))
    assert tally.fresh and tally.counts["sent"] == (1, 2) and tally.counts["returned"] == (0, 0)
    assert not ballot_tally.read(db, settings=settings, now=later + timedelta(seconds=60)).fresh


def test_a_count_begun_before_the_file_was_imported_is_dropped(db, settings):
    write_transaction(db, lambda s: ballot_tally.claim(s, now=T0))
    write_transaction(db, ballot_tally.forget)   # the import, while the count ran
    assert write_transaction(db, lambda s: ballot_tally.store(s, claimed=T0, counts={}, settings=settings)) is False
    assert ballot_tally.read(db, settings=settings, now=T0) is None


def test_a_failed_count_gives_its_claim_back(db, settings):
    write_transaction(db, lambda s: ballot_tally.claim(s, now=T0))
    write_transaction(db, lambda s: ballot_tally.release(s, claimed=T0))
    assert write_transaction(db, lambda s: ballot_tally.claim(s, now=T0 + timedelta(seconds=1))) is True


def test_other_supporter_values_are_not_shown_with_the_old_count(db, settings):
    from dataclasses import replace

    write_transaction(db, lambda s: ballot_tally.claim(s, now=T0))
    write_transaction(db, lambda s: ballot_tally.store(s, claimed=T0, counts={}, settings=settings))
    assert ballot_tally.read(db, settings=settings, now=T0) is not None
    assert ballot_tally.read(db, settings=replace(settings, supporter_values=("1",)), now=T0) is None


@STATE_SIZE
def test_a_ward_and_a_team_lead_count_live(client, auth, db, chase, districts, make_team, make_user):
    auth.login_as("committee")
    ward_id = db.execute(sa.select(Ward.id)).scalar_one()
    db.rollback()
    page = html.unescape(client.get(f"/polling-day/chase?ward={ward_id}").get_data(as_text=True))
    assert "Avery Quill" in page and "Counted at" not in page and "data-src" not in page
    assert row(page, "sent") == cells((2, 3))
    lead = make_user(roles="volunteer")
    make_team(neighbourhoods=[db.get(Neighbourhood, districts["AB"])], leads=[lead])
    db.rollback()
    auth.logout()
    auth.login(lead.email)
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert "Frankie Umber" in page and "data-src" not in page
    response = client.get("/polling-day/chase/counts", headers={"Accept": "application/json"})
    assert response.status_code == 403 and "your teams' areas" in response.get_json()["message"]
    assert db.execute(sa.select(sa.func.count()).select_from(BallotTally)).scalar_one() == 0


def test_a_small_campaign_counts_the_state_live(client, auth, chase):
    auth.login_as("committee")
    page = client.get("/polling-day/chase").get_data(as_text=True)
    assert "Avery Quill" in page and "Counted at" not in page and "chase-counts.js" not in page
    assert row(page, "sent") == cells((2, 3))


def test_others_cannot_ask_for_the_count(client, auth, chase):
    assert client.get("/polling-day/chase/counts").status_code == 302   # to sign in
    auth.login_as("canvasser")
    assert client.get("/polling-day/chase/counts").status_code == 403
