"""Reading a module and taking its quiz: all right records one completion (however often it is
sent), anything wrong records nothing and says which; ``next`` returns to a local page only."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import TrainingCompletion, TrainingModule
from tests.support.world import row_counts

RIGHT = {"answer-0": "1", "answer-1": "1"}


def completions(db, user_id=None):
    db.expire_all()
    query = sa.select(TrainingCompletion.module_id, TrainingCompletion.user_id)
    if user_id is not None:
        query = query.where(TrainingCompletion.user_id == user_id)
    rows = db.execute(query).all()
    db.rollback()
    return [tuple(r) for r in rows]


def post(client, auth, url, data):
    return client.post(url, data={**data, "csrf_token": auth.csrf_token()})


def test_index_lists_modules_with_what_is_done_and_what_needs_them(client, auth, make_module, db):
    user = auth.login_as("volunteer")
    door = make_module(title="Knocking on a door", required_for=["canvass"])
    make_module(title="Data protection")
    db.add(TrainingCompletion(module_id=door.id, user_id=user.id))
    db.commit()
    page = client.get("/training").get_data(as_text=True)
    assert "Knocking on a door" in page and "Data protection" in page
    assert page.count("Completed") == 1 and page.count("Not done yet") == 1
    assert "Needed before: Canvassing" in page
    assert "New module" not in page and "Completed by" not in page  # organisers only


def test_organisers_index_counts_completions(client, auth, make_module, make_user, db):
    counted, _ = make_module(title="Counted"), make_module(title="Untouched")
    for user in (make_user(), make_user()):
        db.add(TrainingCompletion(module_id=counted.id, user_id=user.id))
    db.commit()
    auth.login_as("organiser")
    page = " ".join(client.get("/training").get_data(as_text=True).split())
    assert "New module" in page
    assert "Completed by 2 volunteers" in page and "Completed by 0 volunteers" in page


def test_module_page_shows_sanitised_body_and_quiz(client, auth, make_module):
    auth.login_as("canvasser")
    module = make_module(body="## Safety\n\n<script>alert(1)</script> **Trust** your instincts")
    page = client.get(f"/training/{module.slug}").get_data(as_text=True)
    assert "<h2>Safety</h2>" in page and "<strong>Trust</strong>" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "Where do tellers stand?" in page and 'name="answer-1"' in page
    assert "Completed by" not in page  # organisers only


def test_all_right_records_one_completion_and_is_idempotent(client, auth, make_module, db):
    user = auth.login_as("volunteer")
    module = make_module(title="Telling rules")
    first = post(client, auth, f"/training/{module.slug}", RIGHT)
    assert first.status_code == 302 and first.headers["Location"].endswith("/training")
    assert "is completed" in client.get("/training").get_data(as_text=True)
    again = post(client, auth, f"/training/{module.slug}", RIGHT)
    assert again.status_code == 302
    assert "already completed" in client.get("/training").get_data(as_text=True)
    assert completions(db) == [(module.id, user.id)]


@pytest.mark.parametrize("answers, message", [
    ({"answer-0": "0", "answer-1": "1"}, "Question 1 was not right"),
    ({"answer-0": "1", "answer-1": "2"}, "Question 2 was not right"),
    ({}, "Questions 1, 2 were not right"),
    ({"answer-0": "'; DROP TABLE users; --", "answer-1": "9" * 5000}, "Questions 1, 2 were not right"),
])
def test_wrong_answers_say_which_and_record_nothing(client, auth, make_module, db, answers, message):
    auth.login_as("volunteer")
    module = make_module()
    before = row_counts(db)
    response = post(client, auth, f"/training/{module.slug}", answers)
    assert response.status_code == 422
    assert message in " ".join(response.get_data(as_text=True).split())
    assert row_counts(db) == before


def test_a_module_without_quiz_has_an_ive_read_this_button(client, auth, make_module, db):
    user = auth.login_as("caller")
    module = make_module(quiz=[])
    page = client.get(f"/training/{module.slug}").get_data(as_text=True)
    assert "I&#39;ve read this" in page or "I've read this" in page
    response = post(client, auth, f"/training/{module.slug}", {})
    assert response.status_code == 302
    assert completions(db) == [(module.id, user.id)]


def test_next_returns_to_a_local_page(client, auth, make_module):
    auth.login_as("volunteer")
    module = make_module()
    page = client.get(f"/training/{module.slug}?next=/events/7/check-in/abc").get_data(as_text=True)
    assert 'name="next" value="/events/7/check-in/abc"' in page
    response = post(client, auth, f"/training/{module.slug}", {**RIGHT, "next": "/events/7/check-in/abc"})
    assert response.headers["Location"].endswith("/events/7/check-in/abc")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil",
                                    "javascript:alert(1)", "/a\tb", "events/7"])
def test_next_never_leaves_the_site(client, auth, make_module, target):
    auth.login_as("volunteer")
    module = make_module()
    assert 'name="next"' not in client.get(f"/training/{module.slug}", query_string={"next": target}).get_data(as_text=True)
    response = post(client, auth, f"/training/{module.slug}", {**RIGHT, "next": target})
    assert response.status_code == 302 and response.headers["Location"].endswith("/training")


@pytest.mark.parametrize("slug", ["nope", "UPPER", "a--b", "-a", "x" * 61, "new-ish-but-missing", "a b", "é", "%00"])
def test_unknown_or_impossible_slugs_are_404_and_write_nothing(client, auth, make_module, db, slug):
    auth.login_as("volunteer")
    make_module()
    before = row_counts(db)
    refused = {422} if slug == "%00" else {404}  # a NUL is refused before any view (app/params.py)
    assert client.get(f"/training/{slug}").status_code in refused
    assert post(client, auth, f"/training/{slug}", RIGHT).status_code in refused
    assert row_counts(db) == before


def test_a_pin_joiner_cannot_take_training(client, make_module, make_ward, make_household, make_walk_list, make_user, db):
    from app.walk_lists import create_pin
    from tests.support.web import csrf_token_from

    module = make_module()
    organiser = make_user(roles="organiser")
    walk_list = make_walk_list([make_household(make_ward())])
    _, pin = create_pin(db, walk_list_id=walk_list.id, created_by_id=organiser.id)
    db.commit()
    token = csrf_token_from(client.get("/canvass/join").get_data(as_text=True))
    assert client.post("/canvass/join", data={"code": walk_list.code, "pin": pin, "csrf_token": token}).status_code == 302
    assert client.get("/training").status_code == 403
    before = row_counts(db)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post(f"/training/{module.slug}", data={**RIGHT, "csrf_token": token})
    assert response.status_code == 403 and row_counts(db) == before


def test_anonymous_is_sent_to_sign_in(client, make_module):
    module = make_module()
    for url in ("/training", f"/training/{module.slug}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_quiz_stored_broken_cannot_be_completed_and_says_so(client, auth, make_module, db):
    auth.login_as("volunteer")
    module = make_module()
    db.execute(sa.update(TrainingModule).where(TrainingModule.id == module.id).values(quiz="[{oops"))
    db.commit()
    assert "cannot be read" in client.get(f"/training/{module.slug}").get_data(as_text=True)
    before = row_counts(db)
    response = post(client, auth, f"/training/{module.slug}", RIGHT)
    assert response.status_code == 422 and row_counts(db) == before


def test_organiser_sees_who_completed(client, auth, make_module, make_user, db):
    module = make_module()
    volunteer = make_user(roles="volunteer", name="Val Volunteer")
    db.add(TrainingCompletion(module_id=module.id, user_id=volunteer.id))
    db.commit()
    auth.login_as("organiser")
    page = client.get(f"/training/{module.slug}").get_data(as_text=True)
    assert "Completed by (1)" in page and "Val Volunteer" in page
