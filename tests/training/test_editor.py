"""The organiser's module editor: create, preview, edit, delete; strict, per-question checks with
clear messages; only organisers; a refused or invalid POST writes nothing."""
from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.models import AuditEntry, TrainingCompletion, TrainingModule
from tests.support.training import form_for
from tests.support.world import row_counts


def post(client, auth, url, data):
    return client.post(url, data={**data, "csrf_token": auth.csrf_token()})


def stored(db, slug):
    db.expire_all()
    module = db.execute(sa.select(TrainingModule).where(TrainingModule.slug == slug)).scalar_one_or_none()
    db.rollback()
    return module


def text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_organiser_creates_a_module_with_a_quiz(client, auth, db):
    auth.login_as("organiser")
    assert client.get("/training/new").status_code == 200
    response = post(client, auth, "/training/new", form_for(kinds=["canvass", "phone_bank"], questions=[
        ("Where do tellers stand?", "Inside\nOutside\n", "2"), ("", "", ""), ("Demand numbers?", "Yes\nNo", "2")]))
    assert response.status_code == 302 and response.headers["Location"].endswith("/training/telling-rules")
    module = stored(db, "telling-rules")
    assert module.title == "Telling rules" and module.body == "Stand **outside**."
    assert module.required_for == "canvass phone_bank"
    assert json.loads(module.quiz) == [
        {"question": "Where do tellers stand?", "choices": ["Inside", "Outside"], "answer": 1},
        {"question": "Demand numbers?", "choices": ["Yes", "No"], "answer": 1}]
    assert db.execute(sa.select(AuditEntry.action).where(AuditEntry.action == "training.create")).first()


def test_preview_renders_the_body_and_saves_nothing(client, auth, db):
    auth.login_as("organiser")
    before = row_counts(db)
    response = post(client, auth, "/training/new", {**form_for(body="## Heading\n\n<script>x</script>"), "action": "preview"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h2>Heading</h2>" in page and "<script>x</script>" not in page
    assert row_counts(db) == before


@pytest.mark.parametrize("slug, message", [
    ("", "Give the module a slug"),
    ("Telling-Rules", "Use only lowercase letters, digits and single hyphens"),
    ("telling rules", "Use only lowercase letters"),
    ("telling--rules", "Use only lowercase letters"),
    ("-telling", "Use only lowercase letters"),
    ("telling_rules", "Use only lowercase letters"),
    ("tellíng", "Use only lowercase letters"),
    ("x" * 61, "Keep the slug under 60 characters"),
    ("new", "taken by Legwork itself"),
    ("../admin", "Use only lowercase letters"),
])
def test_bad_slugs_are_refused_with_a_message_and_nothing_written(client, auth, db, slug, message):
    auth.login_as("organiser")
    before = row_counts(db)
    response = post(client, auth, "/training/new", form_for(slug=slug))
    assert response.status_code == 422
    assert message in text(response)
    assert row_counts(db) == before


@pytest.mark.parametrize("change, message", [
    ({"title": ""}, "Give the module a title."),
    ({"title": "t" * 121}, "Keep the title under 120 characters."),
    ({"body": "b" * 50_001}, "Keep the text under 50,000 characters."),
    ({"required_for": ["canvass", "polling_day"]}, "There is no kind of event called “polling_day”."),
])
def test_bad_fields_are_refused(client, auth, db, change, message):
    auth.login_as("organiser")
    before = row_counts(db)
    response = post(client, auth, "/training/new", {**form_for(), **change})
    assert response.status_code == 422 and message in text(response)
    assert row_counts(db) == before


def test_each_bad_question_gets_its_own_message(client, auth, db):
    auth.login_as("organiser")
    before = row_counts(db)
    response = post(client, auth, "/training/new", form_for(questions=[
        ("Fine?", "yes\nno", "1"), ("", "a\nb", "1"), ("Only one?", "a", "1"), ("Which?", "a\nb", "3")]))
    assert response.status_code == 422
    page = text(response)
    assert "Question 2: Write the question." in page
    assert "Question 3: Give at least two choices, one per line." in page
    assert "Question 4: The right answer must be the number from 1 to 2." in page
    assert "Question 1:" not in page
    assert row_counts(db) == before


def test_a_taken_slug_is_a_conflict(client, auth, make_module, db):
    make_module(slug="telling-rules")
    auth.login_as("organiser")
    before = row_counts(db)
    response = post(client, auth, "/training/new", form_for(slug="telling-rules"))
    assert response.status_code == 409 and "already has the slug" in text(response)
    assert row_counts(db) == before


def test_organiser_edits_a_module_and_its_slug(client, auth, make_module, db):
    module = make_module(slug="old-slug", required_for=["canvass"])
    auth.login_as("organiser")
    page = client.get("/training/old-slug/edit").get_data(as_text=True)
    assert "Where do tellers stand?" in page and 'value="2"' in page  # answers shown counting from 1
    assert 'checked id="required_for-0" name="required_for" type="checkbox" value="canvass"' in page
    response = post(client, auth, "/training/old-slug/edit", form_for(module_title="New title", slug="new-slug",
                                                                      questions=[("Q?", "a\nb", "1")]))
    assert response.status_code == 302 and response.headers["Location"].endswith("/training/new-slug")
    assert stored(db, "old-slug") is None
    changed = stored(db, "new-slug")
    assert changed.id == module.id and changed.title == "New title" and changed.required_for == ""
    assert json.loads(changed.quiz) == [{"question": "Q?", "choices": ["a", "b"], "answer": 0}]


def test_editing_keeps_its_own_slug_but_cannot_take_anothers(client, auth, make_module, db):
    make_module(slug="mine")
    make_module(slug="theirs")
    auth.login_as("organiser")
    assert post(client, auth, "/training/mine/edit", form_for(slug="mine")).status_code == 302
    before = row_counts(db)
    assert post(client, auth, "/training/mine/edit", form_for(slug="theirs")).status_code == 409
    assert row_counts(db) == before and stored(db, "mine") is not None


def test_organiser_deletes_a_module_and_its_completions(client, auth, make_module, make_user, db):
    module = make_module()
    db.add(TrainingCompletion(module_id=module.id, user_id=make_user().id))
    db.commit()
    auth.login_as("organiser")
    response = post(client, auth, f"/training/{module.slug}/delete", {})
    assert response.status_code == 302
    assert stored(db, module.slug) is None
    assert db.execute(sa.select(sa.func.count()).select_from(TrainingCompletion)).scalar_one() == 0


@pytest.mark.parametrize("roles", ["volunteer", "canvasser", "caller"])
def test_only_organisers_edit(client, auth, make_module, db, roles):
    module = make_module()
    auth.login_as(roles)
    before = row_counts(db)
    assert client.get("/training/new").status_code == 403
    assert client.get(f"/training/{module.slug}/edit").status_code == 403
    assert post(client, auth, "/training/new", form_for()).status_code == 403
    assert post(client, auth, f"/training/{module.slug}/edit", form_for()).status_code == 403
    assert post(client, auth, f"/training/{module.slug}/delete", {}).status_code == 403
    assert row_counts(db) == before


def test_editing_a_missing_module_is_404(client, auth, db):
    auth.login_as("organiser")
    before = row_counts(db)
    assert client.get("/training/nope/edit").status_code == 404
    assert post(client, auth, "/training/nope/edit", form_for()).status_code == 404
    assert post(client, auth, "/training/nope/delete", {}).status_code == 404
    assert row_counts(db) == before


def test_a_quiz_stored_broken_can_be_written_again(client, auth, make_module, db):
    module = make_module()
    db.execute(sa.update(TrainingModule).where(TrainingModule.id == module.id).values(quiz="{not json"))
    db.commit()
    auth.login_as("organiser")
    response = client.get(f"/training/{module.slug}/edit")
    assert response.status_code == 200 and "could not be read" in text(response)
    assert post(client, auth, f"/training/{module.slug}/edit",
                form_for(slug=module.slug, questions=[("Q?", "a\nb", "2")])).status_code == 302
    assert json.loads(stored(db, module.slug).quiz)[0]["answer"] == 1


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(slug=st.text(max_size=70) | st.from_regex(_SLUG, fullmatch=True) | st.sampled_from(["new", "a" * 60, "a" * 61]))
@example(" abc ")
@example("abc\n")
@example("abc\nx")
@example("new")
@example("")
def test_the_form_accepts_exactly_the_valid_slugs(app, slug):
    """Whatever is typed, the form accepts a slug if and only if it is lowercase letters and digits
    in hyphen-separated runs, at most 60 characters, and not a word Legwork uses itself."""
    from werkzeug.datastructures import MultiDict

    from app.training.forms import ModuleForm

    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context(method="POST", data=MultiDict({"title": "T", "slug": slug})):
        form = ModuleForm()
        ok = form.validate()
    stripped = slug.strip()
    valid = bool(_SLUG.fullmatch(stripped)) and len(stripped) <= 60 and stripped != "new"
    assert ok == valid, (slug, form.errors)
    if not ok:
        assert form.errors["slug"]
