"""The builder past the pickers' threshold (a state's 1,000 wards, 5,000 neighbourhoods, 50,000
lists): a ward, neighbourhood or list condition shows the chosen ones ticked and a search to add
another, not every one as an <option>; a name typed without JavaScript is resolved when sent."""
from __future__ import annotations

import json
import uuid

import pytest
import sqlalchemy as sa

from app.models import Universe, WalkList
from app.universes import tree as trees
from tests.universes.reference import Reference
from tests.universes.test_views import _post as post_fields, _text, organiser  # noqa: F401  (organiser: a fixture)

PICKERS = pytest.mark.parametrize("app", [{"PICKER_MIN": 2}], indirect=True)


def _post(client, auth, fields, path="/organiser/universes/new"):
    return post_fields(client, auth, path, fields)


@PICKERS
def test_the_builder_sends_a_search_not_every_choice(client, db, organiser):
    page = _text(client.get("/organiser/universes/new"))
    for kind in ("ward", "neighbourhood", "walk_list"):
        assert f'id="u-tpl-params-{kind}"' in page
        assert f'data-picker-url="/organiser/universes/choices/{kind}"' in page
    assert 'name="__PATH__:ids" multiple' not in page and ">North</option>" not in page


def test_a_few_choices_stay_a_plain_select(client, organiser):
    page = _text(client.get("/organiser/universes/new"))
    assert 'name="__PATH__:ids" multiple' in page and ">North</option>" in page and "choices/ward" not in page


@PICKERS
def test_the_searches_answer_by_name(client, organiser):
    wards = client.get("/organiser/universes/choices/ward?q=nor")
    assert wards.status_code == 200 and wards.headers["Cache-Control"] == "no-store"
    assert wards.get_json() == {"results": [{"value": str(organiser.wards[0]), "label": "North"}]}
    lists = client.get("/organiser/universes/choices/walk_list?q=south").get_json()["results"]
    assert lists == [{"value": str(organiser.walk_lists[1]), "label": "South 1"}]
    hoods = client.get("/organiser/universes/choices/neighbourhood?q=south").get_json()["results"]
    assert hoods and all(r["label"].startswith("South › ") for r in hoods)
    assert client.get("/organiser/universes/choices/ward?q=").get_json() == {"results": []}


@PICKERS
def test_a_search_with_a_bad_kind_or_query_is_refused(client, organiser):
    assert client.get("/organiser/universes/choices/people?q=a").status_code == 404
    long = client.get("/organiser/universes/choices/ward?q=" + "x" * 101)
    assert long.status_code == 422 and "at most 100 characters" in long.get_data(as_text=True)


@PICKERS
def test_a_name_typed_without_javascript_is_ticked_counted_and_saved(client, auth, db, organiser, settings):
    north, south = organiser.wards
    counted = _post(client, auth, [("0:kind", "and"), ("0.0:kind", "ward"), ("0.0:pick", "  north "), ("action", "count")])
    page = _text(counted)
    assert counted.status_code == 200
    assert f'name="0.0:ids" value="{north}" checked' in page and ">North</label>" in page
    tree = trees.parse({"kind": "and", "of": [{"kind": "ward", "ids": [north]}]}, settings=settings)
    assert f"<strong>{len(Reference(organiser, settings).people(tree))}</strong> people" in page
    saved = _post(client, auth, [("name", "Both"), ("0:kind", "and"), ("0.0:kind", "ward"), ("0.0:ids", str(north)),
                                 ("0.0:pick", "South"), ("action", "save")])
    assert saved.status_code == 302
    universe = db.exec(sa.select(Universe)).scalar_one()
    both = trees.parse({"kind": "and", "of": [{"kind": "ward", "ids": [north, south]}]}, settings=settings)
    assert json.loads(universe.definition) == both
    shown = _text(client.get(saved.headers["Location"]))
    assert f'value="{north}" checked' in shown and f'value="{south}" checked' in shown and ">South</label>" in shown


@PICKERS
def test_a_list_is_found_by_its_id_and_a_neighbourhood_by_its_label(client, auth, organiser):
    hood_label = client.get("/organiser/universes/choices/neighbourhood?q=north").get_json()["results"][0]
    page = _text(_post(client, auth, [("0:kind", "and"), ("0.0:kind", "walk_list"), ("0.0:pick", str(organiser.walk_lists[0])),
                                      ("0.1:kind", "neighbourhood"), ("0.1:pick", hood_label["label"]), ("action", "count")]))
    assert f'name="0.0:ids" value="{organiser.walk_lists[0]}" checked' in page and ">North 1</label>" in page
    assert f'name="0.1:ids" value="{hood_label["value"]}" checked' in page


@PICKERS
def test_a_name_that_matches_nothing_or_several_is_said_and_nothing_is_saved(client, auth, db, organiser):
    missing = _post(client, auth, [("name", "Nowhere"), ("0:kind", "and"), ("0.0:kind", "ward"),
                                   ("0.0:pick", "Atlantis"), ("action", "save")])
    assert missing.status_code == 400
    page = _text(missing)
    assert "No ward is called “Atlantis”" in page and 'value="Atlantis"' in page and 'aria-invalid="true"' in page
    for _ in range(2):
        db.add(WalkList(name="Twice", code=uuid.uuid4().hex[:8].upper(), door_count=0))
    db.commit()
    twice = _post(client, auth, [("0:kind", "and"), ("0.0:kind", "walk_list"), ("0.0:pick", "twice"), ("action", "save")])
    assert twice.status_code == 400 and "“twice” names 2 walk lists" in _text(twice)
    assert db.exec(sa.select(sa.func.count()).select_from(Universe)).scalar_one() == 0


@PICKERS
def test_adding_a_condition_keeps_what_was_typed_resolved(client, auth, organiser):
    north = organiser.wards[0]
    added = _post(client, auth, [("0:kind", "and"), ("0.0:kind", "ward"), ("0.0:pick", "North"), ("action", "add:0")])
    page = _text(added)
    assert added.status_code == 200 and f'name="0.0:ids" value="{north}" checked' in page and 'name="0.1:kind"' in page
