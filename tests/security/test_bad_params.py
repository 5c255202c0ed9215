"""Path ids and query parameters out of range: a 404 or a clear 422, never a 500."""
from __future__ import annotations

import html

import pytest

from app.params import MAX_ID

BIG = 2**63


@pytest.fixture
def organiser(auth, make_ward, make_household, make_walk_list):
    auth.login_as("organiser")
    make_walk_list([make_household(make_ward())])


@pytest.mark.parametrize("path", [f"/api/lists/{MAX_ID + 1}", f"/api/lists/{BIG}", f"/canvass/lists/{BIG}", f"/organiser/lists/{BIG}",
                                  f"/organiser/lists/{2**64}", f"/organiser/lists/{BIG}/assignable", f"/maps/lists/{BIG}", f"/organiser/walk-sheets/{BIG}",
                                  f"/maps/neighbourhoods/{BIG}", f"/phonebank/sheets/{BIG}", f"/phonebank/call/{BIG}",
                                  f"/organiser/universes/{BIG}", f"/organiser/universes/{MAX_ID + 1}",
                                  "/organiser/universes/999999", "/organiser/universes/count?universe=999999",
                                  f"/api/lists/{BIG}/voted", f"/polling-day/rooms/{BIG}/rounds/1/sheets",
                                  f"/polling-day/rooms/1/rounds/{BIG}/sheets", f"/polling-day/knock/{'x' * 300}",
                                  f"/polling-day/rooms/{BIG}", f"/organiser/survey/questions/{BIG}",
                                  "/organiser/survey/questions/999999", f"/organiser/survey/surveys/{BIG}",
                                  "/organiser/survey/surveys/999999"])
def test_ids_beyond_a_bigint_are_404(client, organiser, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("query, message", [
    (f"/organiser/audit?page={BIG}", "Page must be a whole number from 1 to"),
    ("/organiser/audit?page=0", "Page must be a whole number from 1 to"),
    ("/organiser/audit?page=two", "Page must be a whole number from 1 to"),
    (f"/organiser/do-not-contact?page={2**62}", "Page must be a whole number from 1 to"),
    (f"/organiser/exports/contacts.csv?ward={MAX_ID + 1}", "Ward must be chosen from the list"),
    (f"/organiser/exports/people.csv?ward={BIG}", "Ward must be chosen from the list"),
    (f"/organiser/exports/contacts.csv?neighbourhood={2**64}", "Neighbourhood must be chosen from the list"),
    ("/organiser/exports/people.csv?to=9999-12-31", "To must be between 1900-01-01 and 2999-12-31"),
    ("/organiser/exports/contacts.csv?from=0001-01-01", "From must be between 1900-01-01 and 2999-12-31"),
    ("/organiser/exports/people.csv?to=2026-11-0%00", "The query parameter 'to' contains a NUL character."),
    ("/organiser/dashboard/export.csv?to=2026-11-0%00", "The query parameter 'to' contains a NUL character."),
    ("/organiser/audit?action=auth%00", "The query parameter 'action' contains a NUL character."),  # PostgreSQL: a 500
    (f"/maps/?ward={BIG}", "Ward must be a whole number from 1 to"),
    (f"/organiser/universes/count?universe={BIG}", "Universe must be chosen from the list"),
    ("/organiser/universes/count?universe=-1", "Universe must be chosen from the list"),
    ("/organiser/universes/count?universe=1%00", "The query parameter 'universe' contains a NUL character."),
])
def test_query_parameters_out_of_range_get_a_clear_422(client, organiser, query, message):
    response = client.get(query)
    assert response.status_code == 422
    assert message in html.unescape(response.get_data(as_text=True))


def test_the_last_page_within_range_is_just_empty(client, organiser):
    assert client.get(f"/organiser/audit?page={MAX_ID // 100}").status_code == 200


def test_a_nul_in_a_form_field_is_refused_before_any_view(client, auth, organiser, db):
    from sqlmodel import select

    from app.models import User

    token = auth.csrf_token("/organiser/volunteers")
    response = client.post("/organiser/volunteers/invite", data={"csrf_token": token, "email": "a\x00@example.org",
                                                           "name": "Nul", "roles": "canvasser"})
    assert response.status_code == 422
    assert "The form field 'email' contains a NUL character." in html.unescape(response.get_data(as_text=True))
    db.rollback()
    assert db.exec(select(User).where(User.name == "Nul")).first() is None
