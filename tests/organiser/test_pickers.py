"""The list pages' searchable pickers (app/organiser/pickers.py, views_pickers.py, picker_forms.py):
past a campaign's PICKER_MIN areas or volunteers the pages send a text field, not every option;
the searches answer a few, inside the asker's scope; what is typed without JavaScript is resolved,
and a value naming nothing is refused by name, changing nothing."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from app.models import Assignment, WalkList
from tests.support.canvass import done
from tests.support.web import csrf_token_from

PICKERS = pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)


def _token(client, path="/organiser/lists"):
    return csrf_token_from(client.get(path).get_data(as_text=True))


def _search(client, path, q, **params):
    response = client.get(path, query_string={"q": q, **params}, headers={"Accept": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return [r["label"] for r in response.get_json()["results"]]


@pytest.fixture
def walk_list(db, area, make_walk_list):
    ward, hoods, doors = area
    return make_walk_list(doors[:5], ward=ward, name="Ward 9 · 1")


def test_a_small_campaign_keeps_the_select(client, auth, area):
    auth.login_as("organiser")
    html = client.get("/organiser/lists").get_data(as_text=True)
    assert f'<option value="ward:{area[0].id}"' in html and "data-picker-url" not in html


@PICKERS
def test_past_the_threshold_the_page_sends_a_search_field_not_every_area(client, auth, walk_list):
    auth.login_as("organiser")
    html = client.get("/organiser/lists").get_data(as_text=True)
    assert 'value="ward:' not in html and 'value="hood:' not in html
    assert 'data-picker-url="/organiser/pickers/areas?city=1"' in html  # the cut form: whole city too
    assert 'data-picker-url="/organiser/pickers/areas"' in html  # the filter
    assert "organiser/picker.js" in html


@PICKERS
def test_areas_are_searched_by_name_code_and_ward(client, auth, area):
    auth.login_as("organiser")
    assert _search(client, "/organiser/pickers/areas", "district 2") == ["Ward 9 › W9 district 2"]
    assert _search(client, "/organiser/pickers/areas", "w9-1") == ["Ward 9 › W9 district 1"]
    assert _search(client, "/organiser/pickers/areas", "Ward 9")[0] == "Ward 9 (whole ward)"
    assert _search(client, "/organiser/pickers/areas", "100%_") == []
    assert _search(client, "/organiser/pickers/areas", "  ") == []
    assert _search(client, "/organiser/pickers/areas", "city", city=1) == ["Whole city (from a universe)"]
    assert _search(client, "/organiser/pickers/areas", "city") == []  # the list filter has "every area" for that


@PICKERS
def test_an_area_typed_without_javascript_is_resolved_or_refused_by_name(client, auth, db, area):
    auth.login_as("organiser")
    token = _token(client)
    for typed in ("Ward 9", "w9-2", "Ward 9 › W9 district 1", f"hood:{area[1][0].id}"):
        preview = client.post("/organiser/lists/preview", data={"area": typed, "target_size": 12, "csrf_token": token})
        assert preview.status_code == 200, (typed, preview.get_data(as_text=True)[:300])
        assert 'class="swatch"' in preview.get_data(as_text=True)
    refused = client.post("/organiser/lists/preview", data={"area": "Nowhere", "target_size": 12, "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "No ward or neighbourhood is called “Nowhere”" in html and 'value="Nowhere"' in html
    assert "district" in _search(client, "/organiser/pickers/areas", "district")[0]  # nothing else changed
    done(db)
    assert db.exec(sa.select(sa.func.count()).select_from(WalkList)).scalar_one() == 0


@PICKERS
def test_the_list_filter_takes_a_typed_area(client, auth, walk_list):
    auth.login_as("organiser")
    shown = client.get("/organiser/lists", query_string={"area": "W9"})
    assert shown.status_code == 200 and walk_list.name in shown.get_data(as_text=True)
    assert 'value="Ward 9 (whole ward)"' in shown.get_data(as_text=True)
    other = client.get("/organiser/lists", query_string={"area": "Ward 90"})
    assert other.status_code == 422
    assert "No ward or neighbourhood is called “Ward 90”" in other.get_data(as_text=True)


@PICKERS
def test_volunteers_are_searched_among_those_who_may_be_given_the_list(client, auth, db, walk_list, make_user):
    auth.login_as("organiser")
    make_user(roles="volunteer", name="Robin Hood", email="robin@example.org")
    make_user(roles="volunteer", name="Robin Gone", email="gone@example.org", is_active=False)
    make_user(roles="caller", name="Robin Caller", email="caller@example.org")
    holder = make_user(roles="canvasser", name="Robin Holder", email="holder@example.org")
    db.add(Assignment(walk_list_id=walk_list.id, user_id=holder.id))
    db.commit()
    path = f"/organiser/lists/{walk_list.id}/assignable"
    assert _search(client, path, "robin") == ["Robin Hood <robin@example.org>"]
    html = client.get(f"/organiser/lists/{walk_list.id}").get_data(as_text=True)
    assert "robin@example.org" not in html and f'data-picker-url="{path}"' in html
    assert client.get("/organiser/lists/999999/assignable", query_string={"q": "r"}).status_code == 404


@PICKERS
def test_a_volunteer_typed_without_javascript_is_assigned_or_refused_by_name(client, auth, db, walk_list, make_user):
    auth.login_as("organiser")
    robin = make_user(roles="volunteer", name="Robin Hood", email="robin@example.org")
    path = f"/organiser/lists/{walk_list.id}"
    refused = client.post(f"{path}/assign", data={"user_ids": "Nobody Here", "csrf_token": _token(client, path)})
    assert refused.status_code == 422
    assert "No volunteer who can be given this list is called “Nobody Here”" in refused.get_data(as_text=True)
    done(db)
    assert db.exec(sa.select(sa.func.count()).select_from(Assignment)).scalar_one() == 0
    assigned = client.post(f"{path}/assign", data={"user_ids": "ROBIN@example.org", "csrf_token": _token(client, path)})
    assert assigned.status_code == 302
    done(db)
    assert db.exec(sa.select(Assignment.user_id)).scalars().all() == [robin.id]


@PICKERS
def test_any_search_is_an_answer_or_a_clear_refusal(client, auth, walk_list):
    auth.login_as("organiser")
    paths = ["/organiser/pickers/areas", f"/organiser/lists/{walk_list.id}/assignable"]

    @hsettings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(path=st.sampled_from(paths), q=st.text(max_size=130), extra=st.text(max_size=20))
    def check(path, q, extra):
        response = client.get(path, query_string={"q": q, "page": extra}, headers={"Accept": "application/json"})
        assert response.status_code in (200, 422), (q, response.status_code)
        if response.status_code == 422:
            message = response.get_json()["message"]
            assert "NUL" in message if "\x00" in q + extra else len(q) > 100 and "at most 100 characters" in message

    check()


@PICKERS
def test_any_typed_area_is_resolved_or_refused_never_a_500(client, auth, area):
    auth.login_as("organiser")

    @hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(typed=st.one_of(st.text(max_size=120), st.sampled_from(["ward:", "hood:99999999999", "hood:4294967296", "ward:-1", "city"])))
    def check(typed):
        response = client.get("/organiser/lists", query_string={"area": typed})
        assert response.status_code in (200, 422), (typed, response.status_code)

    check()
