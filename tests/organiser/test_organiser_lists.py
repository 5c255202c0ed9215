"""Organiser: cut (preview, re-cut, save), assign, unassign, status, release, PINs (the pages; the
operations underneath: tests/walk_lists/)."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app.models import Assignment, AuditEntry, ListPin, WalkList
from app import walk_lists as ops
from tests.support.canvass import done, outcome, post
from tests.support.web import csrf_token_from


def _token(client, path="/organiser/lists"):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def test_preview_names_doors_far_from_the_rest(client, auth, db, area, make_household):
    ward, hoods, _ = area
    make_household(ward, street="Oak St 1", house_number="7", lon=2.35, lat=48.85, neighbourhood_id=hoods[1].id)
    done(db)
    auth.login_as("organiser")
    preview = client.post("/organiser/lists/preview", data={"area": f"ward:{ward.id}", "target_size": 12,
                                                            "csrf_token": _token(client)})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert re.search(r'id="far-away"[^>]*>1 doors far from the rest were left out .*: 7 Oak St 1\.', html, re.S)
    assert html.count('<span class="swatch"') == 4


def test_organiser_previews_recuts_and_saves(client, auth, db, area):
    ward, hoods, _ = area
    auth.login_as("organiser")
    page = client.get("/organiser/lists")
    assert page.status_code == 200 and f'value="ward:{ward.id}"' in page.get_data(as_text=True)
    token = _token(client)
    preview = client.post("/organiser/lists/preview", data={"area": f"ward:{ward.id}", "target_size": 12, "csrf_token": token})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'id="turf-map"' in html and "data-geojson=" in html and "<script>" not in html
    assert html.count('<span class="swatch"') == 4
    recut = client.post("/organiser/lists/preview", data={"area": f"ward:{ward.id}", "target_size": 24, "csrf_token": token})
    recut_html = recut.get_data(as_text=True)
    assert recut_html.count('<span class="swatch"') == 2
    proposal = re.search(r'name="proposal" type="hidden" value="([^"]+)"|type="hidden" name="proposal" value="([^"]+)"|id="proposal" name="proposal" type="hidden" value="([^"]+)"', recut_html)
    signed = next(g for g in proposal.groups() if g)
    assert db.exec(sa.select(sa.func.count()).select_from(WalkList)).scalar_one() == 0
    saved = client.post("/organiser/lists/save", data={"proposal": signed, "csrf_token": token})
    assert saved.status_code == 302
    done(db)
    names = db.exec(sa.select(WalkList.name, WalkList.door_count).order_by(WalkList.id)).all()
    assert [tuple(n) for n in names] == [("Ward 9 · 1", 24), ("Ward 9 · 2", 24)]
    tampered = client.post("/organiser/lists/save", data={"proposal": signed[:-3] + "AAA", "csrf_token": token})
    assert tampered.status_code == 422 and "cut again" in tampered.get_data(as_text=True)
    replayed = client.post("/organiser/lists/save", data={"proposal": signed, "csrf_token": token})
    assert replayed.status_code == 409
    done(db)
    assert db.exec(sa.select(sa.func.count()).select_from(WalkList)).scalar_one() == 2


@pytest.mark.parametrize("size, message", [
    ("2", "Doors per list must be a whole number between 5 and 500."),
    ("0", "Doors per list must be a whole number between 5 and 500."),  # was "Give the number of doors"
    ("-5", "Doors per list must be a whole number between 5 and 500."),
    ("lots", "Not a valid integer value."),  # under the field; type=number browsers never send it
    ("", "Give the number of doors per list."),
])
def test_preview_bad_size_is_a_clear_form_error(client, auth, db, area, size, message):
    ward, _, _ = area
    auth.login_as("organiser")
    response = client.post("/organiser/lists/preview", data={"area": f"ward:{ward.id}", "target_size": size,
                                                               "csrf_token": _token(client)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert "This field is required" not in html
    assert re.search(rf'<option selected value="ward:{ward.id}"', html)  # the chosen area is kept
    assert db.exec(sa.select(sa.func.count()).select_from(WalkList)).scalar_one() == 0


def test_a_canvasser_cannot_cut_or_assign(client, auth, area, make_user, make_walk_list):
    ward, _, doors = area
    auth.login_as("canvasser")
    token = auth.csrf_token("/canvass/join")
    assert client.get("/organiser/lists").status_code == 403
    walk_list = make_walk_list(doors[:2])
    assert client.post(f"/organiser/lists/{walk_list.id}/assign", data={"user_ids": [1], "csrf_token": token}).status_code == 403


def test_assign_unassign_status_and_last_activity(client, auth, db, area, make_user, make_walk_list):
    ward, _, doors = area
    organiser = auth.login_as("organiser")
    volunteer = make_user(roles="canvasser", name="Vee")
    walk_list = make_walk_list(doors[:3], ward=ward)
    token = _token(client)
    page = client.get(f"/organiser/lists/{walk_list.id}").get_data(as_text=True)
    assert "not started" in page
    for link in (f"/maps/lists/{walk_list.id}", f"/organiser/walk-sheets/{walk_list.id}"):  # its map, its sheet
        assert f'href="{link}"' in page and client.get(link).status_code == 200
    assigned = client.post(f"/organiser/lists/{walk_list.id}/assign", data={"user_ids": [volunteer.id], "csrf_token": token})
    assert assigned.status_code == 302
    twice = client.post(f"/organiser/lists/{walk_list.id}/assign", data={"user_ids": [volunteer.id], "csrf_token": token})
    assert twice.status_code == 302
    done(db)
    rows = db.exec(sa.select(Assignment).where(Assignment.walk_list_id == walk_list.id)).scalars().all()
    assert [(r.user_id, r.assigned_by_id, r.unassigned_at) for r in rows] == [(volunteer.id, organiser.id, None)]
    missing = client.post(f"/organiser/lists/{walk_list.id}/assign", data={"user_ids": [99999], "csrf_token": token})
    assert missing.status_code == 422 and "do not exist" in missing.get_data(as_text=True)

    # The organiser records two doors (organisers may): the list is in progress, then done.
    post(client, token, [outcome(d, walk_list) for d in doors[:2]])
    page = client.get(f"/organiser/lists/{walk_list.id}").get_data(as_text=True)
    assert "in progress" in page and "2/3" in page and "last " in page
    post(client, token, [outcome(doors[2], walk_list, "spoke")])
    assert 'id="list-status">done<' in client.get(f"/organiser/lists/{walk_list.id}").get_data(as_text=True)
    assert "done (3/3)" in client.get("/organiser/lists").get_data(as_text=True)

    unassigned = client.post(f"/organiser/lists/{walk_list.id}/unassign/{volunteer.id}", data={"csrf_token": token})
    assert unassigned.status_code == 302
    done(db)
    assert db.exec(sa.select(Assignment.unassigned_at).where(Assignment.walk_list_id == walk_list.id)).scalar_one() is not None
    # Unassigning again is a conflict (409, someone already did it), not a missing page.
    assert client.post(f"/organiser/lists/{walk_list.id}/unassign/{volunteer.id}", data={"csrf_token": token}).status_code == 409


def test_release_frees_doors_and_refuses_assignment(client, auth, db, area, make_user, make_walk_list):
    ward, _, doors = area
    auth.login_as("organiser")
    walk_list = make_walk_list(doors[:3], ward=ward)
    token = _token(client)
    released = client.post(f"/organiser/lists/{walk_list.id}/release", data={"confirm": "y", "csrf_token": token})
    assert released.status_code == 302
    db.refresh(walk_list)
    assert walk_list.status == "released"
    done(db)
    refused = client.post(f"/organiser/lists/{walk_list.id}/assign", data={"user_ids": [make_user().id], "csrf_token": token})
    assert refused.status_code == 409
    assert ops.cut_area(db, ward_id=ward.id, target_size=12).skipped_in_active_list == 0


def test_only_people_who_can_canvass_are_assigned(client, auth, db, area, make_user, make_walk_list):
    ward, _, doors = area
    auth.login_as("organiser")
    walk_list = make_walk_list(doors[:3], ward=ward)
    caller = make_user(roles="caller", name="Cal Caller")
    done(db)
    response = client.post(f"/organiser/lists/{walk_list.id}/assign",
                           data={"user_ids": [caller.id], "csrf_token": _token(client)})
    assert response.status_code == 422
    assert "Cal Caller cannot canvass: give them the canvasser role" in response.get_data(as_text=True)
    done(db)
    assert db.exec(sa.select(sa.func.count()).select_from(Assignment)).scalar_one() == 0


def test_release_without_ticking_the_box_changes_nothing_and_says_why(client, auth, db, area, make_user,
                                                                      make_walk_list):
    ward, _, doors = area
    auth.login_as("organiser")
    volunteer = make_user(roles="canvasser")
    walk_list = make_walk_list(doors[:3], ward=ward, assign_to=volunteer)
    done(db)
    response = client.post(f"/organiser/lists/{walk_list.id}/release", data={"csrf_token": _token(client)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tick “Yes, release this list now” first: releasing cannot be undone." in html
    assert 'id="release-form"' in html  # the list's own page again, with the box to tick
    db.expire_all()
    assert db.get(WalkList, walk_list.id).status == "active"
    assert db.exec(sa.select(Assignment.unassigned_at).where(Assignment.walk_list_id == walk_list.id)).scalar_one() is None
    assert "lists.release" not in db.exec(sa.select(AuditEntry.action)).scalars().all()


def test_pin_is_shown_once_with_a_qr_code_and_can_be_revoked(client, auth, db, area, make_walk_list):
    ward, _, doors = area
    auth.login_as("organiser")
    walk_list = make_walk_list(doors[:3], ward=ward)
    token = _token(client)
    response = client.post(f"/organiser/lists/{walk_list.id}/pins", data={"label": "Sam", "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    pin = re.search(r'id="pin">(\d+)<', html).group(1)
    assert len(pin) == 8
    assert "<svg" in html and f"/canvass/join?code={walk_list.code}#pin={pin}" in html
    done(db)
    row = db.exec(sa.select(ListPin).where(ListPin.walk_list_id == walk_list.id)).scalar_one()
    assert pin not in row.pin_hash and ops.check_pin(db, code=walk_list.code, pin=pin).id == row.id
    assert pin not in client.get(f"/organiser/lists/{walk_list.id}").get_data(as_text=True)
    assert client.post(f"/organiser/lists/{walk_list.id}/pins/{row.id}/revoke", data={"csrf_token": token}).status_code == 302
    done(db)
    assert ops.check_pin(db, code=walk_list.code, pin=pin) is None
    actions = db.exec(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert "pin.create" in actions and "pin.revoke" in actions


def _shown(client, query: str = "") -> set[int]:
    page = client.get("/organiser/lists" + query)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return {int(i) for i in re.findall(r'<tr id="list-(\d+)"', page.get_data(as_text=True))}


def test_the_list_page_filters_by_area_and_state(client, auth, db, area, make_user, make_walk_list):
    ward, hoods, doors = area
    auth.login_as("organiser")
    vee = make_user(roles="canvasser", name="Vee")
    walking, idle = make_walk_list(doors[0:3], ward=ward, assign_to=vee), make_walk_list(doors[3:6], ward=ward)
    finished, gone = make_walk_list(doors[24:27], ward=ward, assign_to=vee), make_walk_list(doors[27:30], ward=ward)
    for walk_list, hood in ((walking, hoods[0]), (idle, hoods[0]), (finished, hoods[1]), (gone, hoods[1])):
        walk_list.neighbourhood_id = hood.id
    db.commit()
    token = _token(client)
    post(client, token, [outcome(doors[0], walking)] + [outcome(d, finished) for d in doors[24:27]])
    ops.release_list(db, walk_list_id=gone.id, by_id=None)
    db.commit()
    ids = {name: w.id for name, w in (("walking", walking), ("idle", idle), ("finished", finished), ("gone", gone))}

    assert _shown(client) == set(ids.values())
    assert _shown(client, f"?area=hood:{hoods[0].id}") == {ids["walking"], ids["idle"]}
    assert _shown(client, f"?area=ward:{ward.id}") == set(ids.values())
    assert _shown(client, "?state=unassigned") == {ids["idle"]}  # released lists are nobody's job
    assert _shown(client, "?state=not_started") == {ids["idle"]}
    assert _shown(client, "?state=in_progress") == {ids["walking"]}
    assert _shown(client, "?state=done") == {ids["finished"]}
    assert _shown(client, "?state=released") == {ids["gone"]}
    assert _shown(client, f"?area=hood:{hoods[1].id}&state=unassigned") == set()
    page = client.get(f"/organiser/lists?area=hood:{hoods[1].id}").get_data(as_text=True)
    assert "Lists: 2 of 4" in page and f"Ward 9 › {hoods[1].name}" in page


@pytest.mark.parametrize("query, message", [
    ("?area=ward:99999", "Area: Not a valid choice."),
    ("?state=everything", "Show: Not a valid choice."),
])
def test_an_unknown_filter_says_so_and_shows_every_list(client, auth, db, area, make_walk_list, query, message):
    ward, _, doors = area
    auth.login_as("organiser")
    lists = {make_walk_list(doors[0:3], ward=ward).id, make_walk_list(doors[3:6], ward=ward).id}
    page = client.get("/organiser/lists" + query)
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and message in html and "Showing every list." in html
    assert {int(i) for i in re.findall(r'<tr id="list-(\d+)"', html)} == lists


def test_nothing_left_to_cut_says_why_and_where_to_go(client, auth, db, area, make_ward):
    ward, hoods, _ = area
    auth.login_as("organiser")
    token = _token(client)
    ops.save_lists(db, proposal=ops.cut_area(db, neighbourhood_id=hoods[0].id, target_size=12), created_by_id=None)
    db.commit()
    again = client.post("/organiser/lists/preview", data={"area": f"hood:{hoods[0].id}", "target_size": 12, "csrf_token": token})
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and "every door is already on an active list" in html
    assert f'href="/organiser/lists?area=hood:{hoods[0].id}"' in html  # that area's lists, to release one
    empty = make_ward("W2", "Ward 2")
    bare = client.post("/organiser/lists/preview", data={"area": f"ward:{empty.id}", "target_size": 12, "csrf_token": token})
    assert "it has no addresses yet" in bare.get_data(as_text=True)


def test_the_list_page_shows_a_page_of_lists_at_a_time(client, auth, db, area, make_walk_list, monkeypatch):
    """A state has tens of thousands of lists: the page shows PAGE_SIZE of them (with their
    progress), in order, and links to the next page, keeping the filter."""
    from app.organiser import list_filter

    ward, hoods, doors = area
    auth.login_as("organiser")
    lists = [make_walk_list(doors[i:i + 2], ward=ward) for i in range(0, 10, 2)]
    for n, walk_list in enumerate(lists, start=1):
        walk_list.name, walk_list.neighbourhood_id = f"Ward 9 · {n}", hoods[0].id
    db.commit()
    monkeypatch.setattr(list_filter, "PAGE_SIZE", 2)
    ids = [w.id for w in lists]
    assert _shown(client) == set(ids[:2])
    page = client.get(f"/organiser/lists?area=hood:{hoods[0].id}&page=2").get_data(as_text=True)
    assert {int(i) for i in re.findall(r'<tr id="list-(\d+)"', page)} == set(ids[2:4])
    assert "Page 2 of 3" in page and f"area=hood:{hoods[0].id}" in page.split('rel="next"')[0].rsplit("<a", 1)[1]
    assert _shown(client, "?page=3") == {ids[4]}
    assert _shown(client, "?page=99") == {ids[4]}  # past the end: the last page
