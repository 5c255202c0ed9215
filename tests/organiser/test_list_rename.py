"""Organisers rename a walk list on its page (issue 19): the name changes everywhere the list is
shown, the audit log has both names, and a bad name is a clear form error that changes nothing."""
from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, WalkList
from app.params import MAX_ID
from tests.support.canvass import done


@pytest.fixture
def two_lists(db, make_ward, make_household, make_walk_list, make_user):
    ward = make_ward("W1", "Ward 9")
    canvasser = make_user(roles="canvasser")
    lists = [make_walk_list([make_household(ward)], name=f"Ward 9 · {n}", ward=ward, assign_to=canvasser) for n in (1, 2)]
    done(db)
    return canvasser, lists


def _rename(client, auth, walk_list_id, name, **extra):
    token = auth.csrf_token(f"/organiser/lists/{walk_list_id}")
    return client.post(f"/organiser/lists/{walk_list_id}/rename", data={"csrf_token": token, "name": name, **extra})


def _renames(db) -> int:
    done(db)
    n = db.execute(sa.select(sa.func.count()).select_from(AuditEntry).where(AuditEntry.action == "lists.rename")).scalar_one()
    done(db)
    return n


def test_an_organiser_renames_a_list_and_volunteers_see_the_new_name(client, auth, db, two_lists):
    canvasser, (first, _) = two_lists
    organiser = auth.login_as("organiser")
    page = client.get(f"/organiser/lists/{first.id}").get_data(as_text=True)
    assert 'id="rename-form"' in page and 'value="Ward 9 · 1"' in page
    response = _rename(client, auth, first.id, "Riverside north")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/organiser/lists/{first.id}")
    assert "Renamed: this list is now Riverside north." in html.unescape(client.get(f"/organiser/lists/{first.id}").get_data(as_text=True))
    entry = db.execute(sa.select(AuditEntry).where(AuditEntry.action == "lists.rename")).scalar_one()
    assert (entry.actor_user_id, entry.target) == (organiser.id, f"walk_list:{first.id}")
    done(db)
    auth.logout()
    auth.login(canvasser.email)
    assert client.get(f"/api/lists/{first.id}").get_json()["name"] == "Riverside north"


@pytest.mark.parametrize("name, message", [
    ("", "Give the list a name."),
    ("   ", "Give the list a name."),
    ("x" * 121, "A list's name is at most 120 characters."),
    ("Ward 9 · 2", "Another active list is already called “Ward 9 · 2”."),
    ("Ward\x07 9", "A list's name cannot hold control characters."),
])
def test_a_bad_name_is_a_form_error_on_the_list_page_and_changes_nothing(client, auth, db, two_lists, name, message):
    _, (first, _) = two_lists
    auth.login_as("organiser")
    response = _rename(client, auth, first.id, name)
    body = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422 and message in body
    assert 'class="rename" open' in body and 'aria-invalid="true"' in body  # the form is open, the field marked
    done(db)
    assert db.get(WalkList, first.id).name == "Ward 9 · 1" and _renames(db) == 0


def test_without_its_token_the_form_is_refused(client, auth, db, two_lists):
    _, (first, _) = two_lists
    auth.login_as("organiser")
    response = client.post(f"/organiser/lists/{first.id}/rename", data={"name": "Riverside"})
    assert response.status_code in (400, 422) and _renames(db) == 0


@pytest.mark.parametrize("walk_list_id, status", [(MAX_ID + 1, 404), (2**63, 404), (2**64, 404), (999999, 404)])
def test_a_list_id_out_of_range_or_unknown_is_404(client, auth, db, two_lists, walk_list_id, status):
    auth.login_as("organiser")
    token = auth.csrf_token("/organiser/lists")
    response = client.post(f"/organiser/lists/{walk_list_id}/rename", data={"csrf_token": token, "name": "Riverside"})
    assert response.status_code == status and _renames(db) == 0
