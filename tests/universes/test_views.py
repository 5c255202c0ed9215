"""The universe pages: the builder without JavaScript (its buttons), the JSON count, saving,
deleting, and what a team lead sees (counts inside their areas; no builder)."""
from __future__ import annotations

import html
import json

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, Universe
from app.universes.queries import count
from app.universes import tree as trees
from tests.universes.reference import Reference


@pytest.fixture
def organiser(auth, town):
    auth.login_as("organiser")
    return town


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _post(client, auth, path, fields):
    from werkzeug.datastructures import MultiDict

    token = auth.csrf_token("/organiser/universes")
    return client.post(path, data=MultiDict([("csrf_token", token), *fields]))


def test_the_builder_works_without_javascript(client, auth, db, organiser, settings):
    page = client.get("/organiser/universes/new")
    assert page.status_code == 200 and 'name="0:kind"' in _text(page)
    everyone = len(organiser.people)
    assert f"<strong>{everyone}</strong> people" in _text(page)
    # Add a condition: a blank row appears, nothing else changes.
    added = _post(client, auth, "/organiser/universes/new", [("0:kind", "and"), ("action", "add:0")])
    assert added.status_code == 200 and 'name="0.0:kind"' in _text(added) and "Choose a condition…" in _text(added)
    # Choose "Ward" and press Show count: its ward choices appear, and an error says what to choose.
    chosen = _post(client, auth, "/organiser/universes/new", [("0:kind", "and"), ("0.0:kind", "ward"), ("action", "count")])
    assert 'name="0.0:ids"' in _text(chosen) and "Condition 1 (/of/0): choose at least one ward." in _text(chosen)
    fields = [("name", "North with a phone"), ("0:kind", "and"), ("0.0:kind", "ward"), ("0.0:ids", str(organiser.wards[0])),
              ("0.1:kind", "has_phone")]
    counted = _post(client, auth, "/organiser/universes/new", [*fields, ("action", "count")])
    tree = trees.parse({"kind": "and", "of": [{"kind": "ward", "ids": [organiser.wards[0]]}, {"kind": "has_phone"}]},
                       settings=settings)
    expected = Reference(organiser, settings)
    assert f"<strong>{len(expected.people(tree))}</strong> people · <strong>{len(expected.households(tree))}</strong>" \
        in _text(counted)
    saved = _post(client, auth, "/organiser/universes/new", [*fields, ("action", "save")])
    assert saved.status_code == 302
    universe = db.exec(sa.select(Universe)).scalar_one()
    assert universe.name == "North with a phone" and json.loads(universe.definition) == tree
    shown = client.get(saved.headers["Location"])
    assert 'value="North with a phone"' in _text(shown) and "selected>North" in _text(shown)
    audit = db.exec(sa.select(AuditEntry).where(AuditEntry.action == "universe.create")).scalar_one()
    assert audit.target == f"universe:{universe.id}"


def test_a_bad_save_changes_nothing_and_says_why(client, auth, db, organiser):
    for fields, status, message in (
        ([("name", ""), ("0.0:kind", "has_phone")], 422, "A universe's name is 1 to 120 characters."),
        ([("name", "X"), ("0.0:kind", "ward"), ("0.0:ids", "999999")], 422, "Condition 1 (/of/0): there is no ward 999999."),
        ([("name", "X"), ("0.0:kind", "voted"), ("0.0:election_id", "abc")], 422, "'election_id' must be a whole-number id"),
    ):
        response = _post(client, auth, "/organiser/universes/new", [*fields, ("action", "save")])
        assert response.status_code == status and message in _text(response), _text(response)[:3000]
    assert db.exec(sa.select(sa.func.count()).select_from(Universe)).scalar_one() == 0
    forged = _post(client, auth, "/organiser/universes/new", [("action", "remove:0.4")])
    assert forged.status_code == 422 and "That condition is no longer on the page" in _text(forged)


def test_the_json_count(client, auth, db, organiser, settings, save_universe):
    token = auth.csrf_token("/organiser/universes")
    tree = {"kind": "or", "of": [{"kind": "support", "levels": ["1", "2"]}, {"kind": "never_reached"}]}
    response = client.post("/organiser/universes/count", json={"definition": tree}, headers={"X-CSRFToken": token})
    reference = Reference(organiser, settings)
    canonical = trees.parse(tree, settings=settings)
    assert response.get_json() == {"people": len(reference.people(canonical)), "households": len(reference.households(canonical))}
    universe_id = save_universe(tree)
    assert client.get(f"/organiser/universes/count?universe={universe_id}").get_json() == response.get_json()
    assert client.get("/organiser/universes/count").get_json()["people"] == len(organiser.people)  # no universe: everyone
    bad = client.post("/organiser/universes/count", json={"definition": {"kind": "ward", "ids": []}},
                      headers={"X-CSRFToken": token})
    assert bad.status_code == 422 and bad.get_json()["message"] == "The universe (/): choose at least one ward."
    assert client.post("/organiser/universes/count", json=[1], headers={"X-CSRFToken": token}).status_code == 422
    assert client.post("/organiser/universes/count", json={"definition": tree}).status_code == 400  # no CSRF token


@pytest.mark.parametrize("query, status, message", [
    ("?universe=abc", 422, "Universe must be chosen from the list (got 'abc')."),
    (f"?universe={2**63}", 422, "Universe must be chosen from the list"),
    ("?universe=999999", 404, "There is no such universe."),
])
def test_bad_count_parameters(client, organiser, query, status, message):
    response = client.get(f"/organiser/universes/count{query}", headers={"Accept": "application/json"})
    assert response.status_code == status and message in response.get_json()["message"]


def test_update_and_delete(client, auth, db, organiser, save_universe):
    universe_id = save_universe({"kind": "has_phone"}, name="Phones")
    save_universe({"kind": "never_reached"}, name="Fresh")
    taken = _post(client, auth, f"/organiser/universes/{universe_id}", [("name", "fresh"), ("action", "save")])
    assert taken.status_code == 409 and "There is already a universe called fresh." in _text(taken)
    renamed = _post(client, auth, f"/organiser/universes/{universe_id}",
                    [("name", "Everyone"), ("0:kind", "and"), ("action", "save")])
    assert renamed.status_code == 302
    db.expire_all()
    assert db.get(Universe, universe_id).definition == '{"kind":"and","of":[]}'
    index = client.get("/organiser/universes")
    assert "Everyone" in _text(index) and "Never reached" in _text(index)
    deleted = _post(client, auth, f"/organiser/universes/{universe_id}/delete", [])
    assert deleted.status_code == 302
    db.rollback()
    assert db.exec(sa.select(Universe.id).where(Universe.id == universe_id)).first() is None
    assert _post(client, auth, f"/organiser/universes/{universe_id}/delete", []).status_code == 404
    actions = db.exec(sa.select(AuditEntry.action).where(AuditEntry.action.like("universe.%"))).scalars().all()
    assert sorted(actions) == ["universe.create", "universe.create", "universe.delete", "universe.update"]


def test_a_lead_counts_inside_their_areas_and_cannot_build(client, auth, db, town, settings, make_team, save_universe):
    from app.auth.access import teams_scope
    from app.models import Ward

    universe_id = save_universe({"kind": "and", "of": []}, name="Everyone")
    lead = auth.login_as("volunteer")
    team = make_team(wards=[db.get(Ward, town.wards[0])], leads=[lead])
    in_area = count(db, tree={"kind": "and", "of": []}, settings=settings, scope=teams_scope(db, team_ids={team.id}))
    db.rollback()
    north = {p for p, v in town.people.items() if town.households[v["household_id"]]["ward_id"] == town.wards[0]}
    assert in_area.people == len(north) < len(town.people)
    assert client.get(f"/organiser/universes/count?universe={universe_id}").get_json()["people"] == len(north)
    page = client.get(f"/organiser/universes/{universe_id}")
    assert page.status_code == 200 and f"<strong>{len(north)}</strong> people" in _text(page) and "0:kind" not in _text(page)
    assert client.get("/organiser/universes").status_code == 200
    assert client.get("/organiser/universes/new").status_code == 403
    assert _post(client, auth, "/organiser/universes/new", [("name", "Mine"), ("action", "save")]).status_code == 403
    assert db.exec(sa.select(sa.func.count()).select_from(Universe)).scalar_one() == 1


@pytest.mark.parametrize("app", [{"COUNT_ON_PAGE_MAX": 2}], indirect=True)
def test_a_large_campaigns_builder_opens_uncounted_and_counts_when_asked(client, auth, db, organiser):
    """Past COUNT_ON_PAGE_MAX people (told by the highest person id) an opened builder is sent without
    counting everyone (a state's count held every opening back); "Show count" still counts, and the
    page's script counts at once (tests/browser/test_universes.py)."""
    page = _text(client.get("/organiser/universes/new"))
    assert "data-count-on-load" in page and "Press “Show count”" in page and "</strong> people" not in page
    counted = _text(_post(client, auth, "/organiser/universes/new", [("0:kind", "and"), ("action", "count")]))
    assert f"<strong>{len(organiser.people)}</strong> people" in counted and "data-count-on-load" not in counted
