"""The organiser's volunteers page: roles, deactivation, and keeping an organiser in charge."""
from __future__ import annotations

import json

import pytest

from app.models import User


def post(client, auth, path, data=None):
    token = auth.csrf_token("/organiser/volunteers")
    return client.post(path, data={**(data or {}), "csrf_token": token})


def fresh(db, user):
    db.rollback()  # end any read transaction, then forget what was loaded
    db.expire_all()
    return db.get(User, user.id)


def test_page_lists_volunteers_for_organisers_only(auth, client, make_user):
    make_user(email="vol@example.org", roles="canvasser")
    auth.login_as("organiser")
    page = client.get("/organiser/volunteers")
    assert page.status_code == 200 and "vol@example.org" in page.get_data(as_text=True)


@pytest.mark.parametrize("roles, status", [("canvasser", 403), ("caller", 403), (None, 302)])
def test_page_refused_to_others(auth, client, roles, status):
    if roles:
        auth.login_as(roles)
    assert client.get("/organiser/volunteers").status_code == status


def test_role_change_is_saved_and_audited(auth, client, db, make_user, audit_rows):
    organiser = auth.login_as("organiser")
    vol = make_user(email="vol@example.org", roles="canvasser")
    response = post(client, auth, f"/organiser/volunteers/{vol.id}/roles", {"roles": ["canvasser", "caller"]})
    assert response.status_code == 302
    assert fresh(db, vol).roles == "canvasser caller"
    [entry] = audit_rows("role.change")
    assert entry.actor_user_id == organiser.id and entry.target == f"user:{vol.id}"
    assert json.loads(entry.detail) == {"email": "vol@example.org", "from": "canvasser", "to": "canvasser caller"}


@pytest.mark.parametrize("roles, message", [([], "Choose at least one role"), (["admin"], "not a valid choice")])
def test_bad_role_change_changes_nothing(auth, client, db, make_user, audit_rows, roles, message):
    auth.login_as("organiser")
    vol = make_user(email="vol@example.org", roles="canvasser")
    response = post(client, auth, f"/organiser/volunteers/{vol.id}/roles", {"roles": roles})
    assert message in client.get(response.headers["Location"]).get_data(as_text=True)
    assert fresh(db, vol).roles == "canvasser"
    assert audit_rows("role.change") == []


def test_role_change_without_csrf_refused(auth, client, db, make_user):
    auth.login_as("organiser")
    vol = make_user(email="vol@example.org", roles="canvasser")
    response = client.post(f"/organiser/volunteers/{vol.id}/roles", data={"roles": ["organiser"]})
    assert response.status_code == 400
    assert fresh(db, vol).roles == "canvasser"


def test_organiser_cannot_drop_own_organiser_role_or_deactivate_self(auth, client, db, make_user, audit_rows):
    me = auth.login_as("organiser")
    make_user(email="other-organiser@example.org", roles="organiser")  # even with another organiser around
    response = post(client, auth, f"/organiser/volunteers/{me.id}/roles", {"roles": ["canvasser"]})
    assert "cannot remove your own organiser role" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert fresh(db, me).roles == "organiser"
    post(client, auth, f"/organiser/volunteers/{me.id}/deactivate")
    assert fresh(db, me).is_active
    assert audit_rows("role.change") == [] and audit_rows("user.") == []


def test_deactivate_ends_session_and_reactivate_restores(app, auth, client, db, make_user, audit_rows):
    auth.login_as("organiser")
    vol = make_user(email="vol@example.org", roles="canvasser")
    other = app.test_client()
    from tests.support.web import AuthActions
    assert AuthActions(other, make_user).login("vol@example.org").status_code == 302
    assert other.get("/account").status_code == 200

    assert post(client, auth, f"/organiser/volunteers/{vol.id}/deactivate").status_code == 302
    assert not fresh(db, vol).is_active
    assert other.get("/account").status_code == 302  # their open session no longer works
    assert [e.action for e in audit_rows("user.")] == ["user.deactivate"]

    post(client, auth, f"/organiser/volunteers/{vol.id}/reactivate")
    assert fresh(db, vol).is_active
    assert [e.action for e in audit_rows("user.")] == ["user.deactivate", "user.reactivate"]


def test_unknown_volunteer(auth, client):
    auth.login_as("organiser")
    response = post(client, auth, "/organiser/volunteers/9999/deactivate")
    assert "no such volunteer" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_page_shows_a_hundred_volunteers_at_a_time(auth, client, make_user, monkeypatch):
    """A state campaign has thousands of volunteers: a page of them, in order, and the next page."""
    import re

    from app.organiser import views_volunteers

    auth.login_as("organiser", email="aaa-organiser@example.org")
    for n in range(4):
        make_user(email=f"v{n}@example.org", roles="canvasser")
    monkeypatch.setattr(views_volunteers, "PAGE_SIZE", 2, raising=False)
    first = client.get("/organiser/volunteers").get_data(as_text=True)
    second = client.get("/organiser/volunteers?page=2").get_data(as_text=True)
    last = client.get("/organiser/volunteers?page=9").get_data(as_text=True)

    def shown(html):
        return re.findall(r'<tr id="user-\d+">\s*<td><strong>[^<]*</strong><br><span class="muted">([^<]+)</span>', html)

    assert shown(first) == ["aaa-organiser@example.org", "v0@example.org"]
    assert shown(second) == ["v1@example.org", "v2@example.org"] and "Page 2 of 3" in second and "(5)" in second
    assert shown(last) == ["v3@example.org"]
