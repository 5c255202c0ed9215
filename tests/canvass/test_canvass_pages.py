"""The canvasser's pages, the list data the phone caches, the service worker, PIN join."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.models import ContactEvent, ListPin, utcnow
from tests.support.web import csrf_token_from

from tests.support.canvass import done, outcome, post


def test_my_lists_shows_only_my_lists_and_asks_to_keep_them_offline(client, field):
    html = client.get("/canvass/").get_data(as_text=True)
    assert "Ward 9 · 1" in html and "Ward 9 · 2" not in html
    assert f"/canvass/lists/{field.mine.id} /api/lists/{field.mine.id}" in html  # data-precache
    assert 'data-prune="yes"' in html and "<script>" not in html


def test_list_page_is_mine_only(client, field):
    page = client.get(f"/canvass/lists/{field.mine.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-api-url="/api/lists/{field.mine.id}"' in html and "canvass/list.js" in html and "<script>" not in html
    assert client.get(f"/canvass/lists/{field.theirs.id}").status_code == 403
    assert client.get(f"/canvass/lists/{field.theirs.id}/map").status_code == 403
    assert client.get(f"/api/lists/{field.theirs.id}").status_code == 403


def test_list_map_page_loads_leaflet_locally(client, field):
    html = client.get(f"/canvass/lists/{field.mine.id}/map").get_data(as_text=True)
    assert "/static/vendor/leaflet/leaflet.js" in html and "canvass/map.js" in html and "unpkg" not in html


def test_list_data_has_doors_in_order_people_sides_and_history(client, token, field, db):
    from app.models import Person

    first = field.my_doors[0]
    person = db.exec(sa.select(Person.id).where(Person.household_id == first.id).order_by(Person.id)).scalars().first()
    done(db)
    earlier = outcome(first, field.mine, "spoke", responses=[{"person_id": person, "support_level": "1"}])
    post(client, token, [earlier])
    data = client.get(f"/api/lists/{field.mine.id}").get_json()
    assert [d["household_id"] for d in data["doors"]] == [d.id for d in field.my_doors]
    assert [d["side"] for d in data["doors"]] == ["odds", "evens"] * 3
    assert len(data["doors"][0]["people"]) == 2
    history = data["doors"][0]["history"]
    assert history[0]["code"] == "spoke" and history[0]["support"] == [{"person_id": person, "support_level": "1"}]
    assert history[0]["recorded_at"].endswith("Z")
    assert {o["code"] for o in data["outcomes"]} >= {"spoke", "not_home", "refused", "moved", "come_back",
                                                       "inaccessible", "do_not_contact", "wrong_address"}
    assert data["support_scale"][0]["value"] == "1" and "Housing" in data["issues"] and data["max_batch"] == 100


def test_list_data_flags_do_not_contact(client, token, field):
    post(client, token, [outcome(field.my_doors[1], field.mine, "do_not_contact")])
    doors = client.get(f"/api/lists/{field.mine.id}").get_json()["doors"]
    assert [d["do_not_contact"] for d in doors[:3]] == [False, True, False]


def test_api_lists_for_the_phone(client, field, token):
    post(client, token, [outcome(field.my_doors[0], field.mine)])
    lists = client.get("/api/lists").get_json()["lists"]
    assert [(w["id"], w["visited"], w["status"]) for w in lists] == [(field.mine.id, 1, "in progress")]


def test_service_worker_is_served_for_the_canvass_scope(client):
    response = client.get("/canvass/sw.js")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert body.startswith("self.LEGWORK = {") and '"/static/canvass/outbox.js"' in body
    assert "addEventListener(\"fetch\"" in body and response.headers["Cache-Control"] == "no-cache"


def _pin(db, walk_list, pin="24681357", revoked=False):
    row = ListPin(walk_list_id=walk_list.id, pin_hash=generate_password_hash(pin), revoked_at=utcnow() if revoked else None)
    db.add(row)
    db.commit()
    return row


def _join(client, code, pin, **kw):
    token = csrf_token_from(client.get("/canvass/join").get_data(as_text=True))
    return client.post("/canvass/join", data={"code": code, "pin": pin, "csrf_token": token}, **kw)


@pytest.mark.parametrize("which, pin, status, message", [
    ("mine", "11111111", 401, "do not match an open list"),
    ("nope", "24681357", 401, "do not match an open list"),
    ("mine", "abc", 422, "digits only"),
    ("revoked", "13572468", 401, "do not match an open list"),
])
def test_join_with_a_wrong_code_or_pin_is_refused(app, db, field, which, pin, status, message):
    _pin(db, field.mine)
    _pin(db, field.theirs, "13572468", revoked=True)
    code = {"mine": field.mine.code, "revoked": field.theirs.code, "nope": "ZZZZZZ"}[which]
    stranger = app.test_client()
    response = _join(stranger, code, pin)
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert stranger.get(f"/api/lists/{field.mine.id}").status_code == 401


def test_join_prefills_the_code_from_the_qr_link(app, field):
    html = app.test_client().get(f"/canvass/join?code={field.mine.code}").get_data(as_text=True)
    assert f'value="{field.mine.code}"' in html and "canvass/join.js" in html


def test_pin_joiner_sees_their_one_list(app, db, field):
    _pin(db, field.mine)
    joiner = app.test_client()
    assert _join(joiner, field.mine.code, "24681357").status_code == 302
    assert joiner.get("/canvass/").headers["Location"].endswith(f"/canvass/lists/{field.mine.id}")
    assert joiner.get(f"/api/lists/{field.mine.id}").status_code == 200
    assert joiner.get(f"/canvass/lists/{field.theirs.id}").status_code == 403
    assert joiner.get("/organiser/lists").status_code == 403


RATE = {"RATELIMIT_ENABLED": True, "AUTH": {"pin_rate_limit": "3 per minute"}}


@pytest.mark.parametrize("app", [RATE], indirect=True)
def test_pin_join_is_rate_limited_per_address(app, db, field):
    _pin(db, field.mine)
    guesser = app.test_client()
    codes = ["AAAAAA", "BBBBBB", "CCCCCC"]
    assert [_join(guesser, c, "12345678").status_code for c in codes] == [401, 401, 401]
    blocked = _join(guesser, field.mine.code, "24681357")  # even the right PIN: the address is over its limit
    assert blocked.status_code == 429 and "Too many attempts" in blocked.get_data(as_text=True)


# Limits on one list code (per address, and a slow-down that never locks out the PIN's holder):
# tests/auth/test_auth_limits.py.


def test_outcome_from_the_list_page_counts_towards_progress(client, field, token, db):
    post(client, token, [outcome(d, field.mine, "not_home") for d in field.my_doors[:2]])
    html = client.get("/canvass/").get_data(as_text=True)
    assert "2 of 6 doors recorded" in html
    done(db)
    assert db.execute(sa.select(sa.func.count()).select_from(ContactEvent)).scalar_one() == 2
    done(db)
