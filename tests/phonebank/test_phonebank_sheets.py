"""Organiser side: call sheets from a ward / neighbourhood / walk list, the live queue, progress."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.contacts import Actor, record_contacts
from app.errors import Conflict, ValidationError
from app.models import CallQueueEntry, CallSheet, CallSheetEntry, Person
from app.phonebank import operations, progress, queue

from tests.support.phonebank import EAST, NOON_EAST, UK, WEST, new_id


def door(db, settings, person, code, **response):
    event = {"id": new_id(), "code": code, "household_id": person.household_id, "person_id": person.id,
             "recorded_at": NOON_EAST.isoformat()}
    if response:
        event["responses"] = [{"person_id": person.id, **response}]
    [status] = record_contacts(db, events=[event], actor=Actor(label="test"), settings=settings, channel="door")
    assert status.status == "stored", status
    db.commit()


def make(db, settings, ward, **kw):
    kw.setdefault("criteria", "all")
    kw.setdefault("priority", "none")
    kw.setdefault("sheet_size", 50)
    sheets = operations.make_call_sheets(db, scope=kw.pop("scope", f"ward:{ward.id}"), actor_user_id=None,
                                         settings=settings, **kw)
    db.commit()
    return sheets


def entries(db, sheet) -> list[CallSheetEntry]:
    return db.exec(sa.select(CallSheetEntry).where(CallSheetEntry.sheet_id == sheet.id)
                   .order_by(CallSheetEntry.position, CallSheetEntry.person_id)).scalars().all()


@pytest.fixture
def ward(make_ward):
    return make_ward()


def test_sheets_split_by_time_zone_and_size_and_leave_out_the_uncallable(db, settings, ward, make_callee):
    east = [make_callee(EAST, ward=ward, queued=False) for _ in range(3)]
    west = make_callee(WEST, ward=ward, queued=False)
    make_callee(UK, ward=ward, queued=False)
    retired = make_callee(EAST, ward=ward, queued=False)
    db.get(Person, retired.id).phone_retired_at = NOON_EAST
    db.get(Person, east[2].id).phone = None
    outside = make_callee(EAST, queued=False)  # no ward
    db.commit()
    sheets = make(db, settings, ward, sheet_size=1)
    zones = [s.timezone for s in sheets]
    assert zones == ["America/Los_Angeles", "America/New_York", "America/New_York", "Europe/London"]
    on_sheets = {e.person_id for s in sheets for e in entries(db, s)}
    assert west.id in on_sheets and {east[0].id, east[1].id} <= on_sheets
    assert not {retired.id, east[2].id, outside.id} & on_sheets


def test_people_sharing_a_number_share_one_entry(db, settings, ward, make_callee):
    make_callee(phone="+16175550321", people=3, ward=ward, queued=False)
    [sheet] = make(db, settings, ward)
    rows = entries(db, sheet)
    assert len(rows) == 3 and {r.position for r in rows} == {0}
    assert operations.enqueue_sheet(db, sheet_id=sheet.id, actor_user_id=None, settings=settings) == 1


def test_criteria_pick_the_right_people(db, settings, ward, make_callee):
    not_home = make_callee(ward=ward, queued=False)
    spoke_supporter = make_callee(ward=ward, queued=False)
    untouched = make_callee(ward=ward, queued=False)
    door(db, settings, not_home, "not_home")
    door(db, settings, spoke_supporter, "spoke", support_level="1")

    def chosen(criteria):
        return {e.person_id for s in make(db, settings, ward, criteria=criteria) for e in entries(db, s)}

    assert chosen("not_home") == {not_home.id}
    assert chosen("no_contact") == {not_home.id, untouched.id}
    assert chosen("supporters") == {spoke_supporter.id}
    assert chosen("all") == {not_home.id, spoke_supporter.id, untouched.id}


def test_not_home_first_puts_them_at_the_top(db, settings, ward, make_callee):
    others = [make_callee(ward=ward, queued=False) for _ in range(3)]
    late = make_callee(ward=ward, queued=False)
    door(db, settings, late, "not_home")
    [sheet] = make(db, settings, ward, priority="not_home_first")
    assert entries(db, sheet)[0].person_id == late.id
    [plain] = make(db, settings, ward, priority="none")
    assert [e.person_id for e in entries(db, plain)][:3] == [p.id for p in others]  # by number


def test_the_ledger_keeps_people_off_sheets(db, settings, ward, make_callee):
    blocked, kept = make_callee(ward=ward, queued=False), make_callee(ward=ward, queued=False)
    door(db, settings, blocked, "do_not_contact")
    [sheet] = make(db, settings, ward)
    assert {e.person_id for e in entries(db, sheet)} == {kept.id}


def test_walk_list_and_neighbourhood_scopes(db, settings, ward, make_callee, make_walk_list):
    on_list = make_callee(ward=ward, queued=False)
    make_callee(ward=ward, queued=False)
    from app.models import Household

    walk_list = make_walk_list([db.get(Household, on_list.household_id)], ward=ward)
    [sheet] = make(db, settings, ward, scope=f"list:{walk_list.id}")
    assert sheet.walk_list_id == walk_list.id and {e.person_id for e in entries(db, sheet)} == {on_list.id}
    hood = db.get(Household, on_list.household_id).neighbourhood_id
    assert len(entries(db, make(db, settings, ward, scope=f"neighbourhood:{hood}")[0])) == 2


BAD_SHEETS = [
    ({"scope": "ward:999"}, "Choose a ward, neighbourhood or walk list"),
    ({"scope": "planet:1"}, "Choose a ward, neighbourhood or walk list"),
    ({"sheet_size": 0}, "between 1 and 1000"),
    ({"criteria": "supporters"}, "No one in Ward W1"),
    ({"criteria": "bogus"}, "Unknown criteria"),
    ({"priority": "bogus"}, "Unknown priority"),
]


def test_bad_sheet_requests_are_refused(db, settings, ward, make_callee, subtests):
    make_callee(ward=ward, queued=False)
    for kw, message in BAD_SHEETS:
        with subtests.test(message=message):
            with pytest.raises(ValidationError, match=message):
                make(db, settings, ward, **kw)
            db.rollback()
            assert db.exec(sa.select(sa.func.count()).select_from(CallSheet)).scalar_one() == 0


def test_enqueue_skips_live_and_blocked_numbers_and_only_once(db, settings, ward, make_callee):
    already = make_callee(ward=ward, queued=True)
    later_blocked, fine = make_callee(ward=ward, queued=False), make_callee(ward=ward, queued=False)
    [sheet] = make(db, settings, ward)
    door(db, settings, later_blocked, "do_not_contact")
    assert operations.enqueue_sheet(db, sheet_id=sheet.id, actor_user_id=None, settings=settings) == 1
    db.commit()
    rows = db.exec(sa.select(CallQueueEntry.person_id, CallQueueEntry.sheet_id, CallQueueEntry.timezone)).all()
    assert sorted(rows) == sorted([(already.id, None, "America/New_York"), (fine.id, sheet.id, "America/New_York")])
    with pytest.raises(Conflict, match="already in the live queue"):
        operations.enqueue_sheet(db, sheet_id=sheet.id, actor_user_id=None, settings=settings)


def test_progress_per_sheet_and_per_caller(db, settings, ward, make_callee, make_caller):
    for _ in range(3):
        make_callee(ward=ward, queued=False)
    [sheet] = make(db, settings, ward)
    operations.enqueue_sheet(db, sheet_id=sheet.id, actor_user_id=None, settings=settings)
    db.commit()
    ann, bob = make_caller("Ann"), make_caller("Bob")
    for caller, code in ((ann, "spoke"), (ann, "no_answer"), (bob, "refused")):
        attempt = queue.claim(db, caller_id=caller.id, now=NOON_EAST, settings=settings)
        operations.record_disposition(db, attempt_id=attempt.id, caller=caller, event_id=new_id(), code=code,
                                      settings=settings, now=NOON_EAST)
        db.commit()
    [p] = progress.sheet_progress(db, settings=settings)
    assert (p.numbers, p.tally.attempts, p.tally.connects) == (3, 3, 2)
    assert (p.queue["done"], p.queue["queued"], p.finished) == (2, 1, 2)
    by_name = {c.name: c.tally for c in progress.caller_progress(db, settings=settings)}
    assert (by_name["Ann"].attempts, by_name["Ann"].connects, dict(by_name["Ann"].outcomes)) == \
        (2, 1, {"spoke": 1, "no_answer": 1})
    assert (by_name["Bob"].attempts, by_name["Bob"].connects) == (1, 1)


# ---- the organiser's pages ----------------------------------------------------------------------
def test_organiser_makes_prints_and_queues_sheets_through_the_pages(client, auth, db, ward, make_callee):
    for pattern in (EAST, WEST):
        make_callee(pattern, ward=ward, queued=False)
    auth.login_as("organiser")
    page = client.get("/phonebank/sheets")
    assert page.status_code == 200 and f'value="ward:{ward.id}"' in page.get_data(as_text=True)
    response = client.post("/phonebank/sheets", data={
        "scope": f"ward:{ward.id}", "criteria": "all", "priority": "none", "sheet_size": "10",
        "csrf_token": auth.csrf_token("/phonebank/sheets")})
    assert response.status_code == 302
    db.rollback()
    sheets = db.exec(sa.select(CallSheet).order_by(CallSheet.id)).scalars().all()
    assert len(sheets) == 2
    printable = client.get(f"/phonebank/sheets/{sheets[0].id}")
    assert printable.status_code == 200 and "(415) 555-" in printable.get_data(as_text=True)
    response = client.post(f"/phonebank/sheets/{sheets[0].id}/queue",
                           data={"csrf_token": auth.csrf_token("/phonebank/sheets")})
    assert response.status_code == 302
    db.rollback()  # end the test session's read snapshot to see the server's writes
    assert db.exec(sa.select(sa.func.count()).select_from(CallQueueEntry)).scalar_one() == 1
    assert "Put 1 number into the live queue" in client.get("/phonebank/sheets").get_data(as_text=True)


def test_bad_sheet_form_shows_the_message_and_changes_nothing(client, auth, db, ward):
    auth.login_as("organiser")
    response = client.post("/phonebank/sheets", data={
        "scope": f"ward:{ward.id}", "criteria": "supporters", "priority": "none", "sheet_size": "10",
        "csrf_token": auth.csrf_token("/phonebank/sheets")})
    assert response.status_code == 422
    assert "No one in Ward W1" in response.get_data(as_text=True)
    assert db.exec(sa.select(sa.func.count()).select_from(CallSheet)).scalar_one() == 0


@pytest.mark.parametrize("size, message", [
    ("0", "Numbers per sheet must be a whole number between 1 and 1000."),  # was "This field is required."
    ("1001", "Numbers per sheet must be a whole number between 1 and 1000."),
    ("ten", "Not a valid integer value."),
    ("", "Give how many numbers go on each sheet."),
])
def test_bad_sheet_size_says_what_is_wrong_and_keeps_the_form(client, auth, db, ward, size, message):
    auth.login_as("organiser")
    response = client.post("/phonebank/sheets", data={
        "scope": f"ward:{ward.id}", "criteria": "all", "priority": "none", "sheet_size": size,
        "name": "Saturday calls", "csrf_token": auth.csrf_token("/phonebank/sheets")})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert "This field is required" not in html
    assert 'value="Saturday calls"' in html
    assert db.exec(sa.select(sa.func.count()).select_from(CallSheet)).scalar_one() == 0


def test_sheet_pages_are_for_organisers_only(client, auth, ward):
    auth.login_as("caller")
    assert client.get("/phonebank/sheets").status_code == 403
    response = client.post("/phonebank/sheets", data={"scope": f"ward:{ward.id}", "criteria": "all",
                                                      "priority": "none", "sheet_size": "10",
                                                      "csrf_token": auth.csrf_token("/phonebank/")})
    assert response.status_code == 403


def test_cli_makes_and_queues_sheets_and_expires_claims(runner, db, settings, ward, make_callee, make_caller):
    make_callee(ward=ward, queued=False), make_callee(WEST, ward=ward, queued=False)
    result = runner.invoke(args=["phonebank-make-sheets", f"ward:{ward.id}", "--queue"])
    assert result.exit_code == 0, result.output
    assert "Made 2 sheet(s); 2 numbers queued." in result.output
    queue.claim(db, caller_id=make_caller().id, now=NOON_EAST, settings=settings)  # long ago
    result = runner.invoke(args=["phonebank-expire-claims"])
    assert "Returned 1 expired claim to the queue." in result.output
    db.expire_all()
    assert set(db.exec(sa.select(CallQueueEntry.status)).scalars()) == {"queued"}
    result = runner.invoke(args=["phonebank-make-sheets", "ward:999"])
    assert result.exit_code != 0 and "Choose a ward, neighbourhood or walk list" in result.output


def test_progress_lists_batches_newest_first_each_in_number_order(db, settings, ward, make_callee):
    for _ in range(5):
        make_callee(ward=ward, queued=False)
    first = make(db, settings, ward, sheet_size=2, name="Early")
    second = make(db, settings, ward, sheet_size=2, name="Late")
    assert len(first) == len(second) == 3
    names = [p.sheet.name for p in progress.sheet_progress(db, settings=settings)]
    assert names == ["Late · 1/3", "Late · 2/3", "Late · 3/3", "Early · 1/3", "Early · 2/3", "Early · 3/3"]
