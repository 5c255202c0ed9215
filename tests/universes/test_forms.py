"""The builder's plain form: fields -> draft -> tree (the same cases tests/js/universe-tree.test.mjs
runs through the page's script), the no-JavaScript buttons, and a saved tree back into fields."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from app.errors import ValidationError
from app.universes import forms
from app.universes import tree as trees

CASES = json.loads((Path(__file__).parent / "data" / "form_cases.json").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["why"] for c in CASES])
def test_the_fields_read_as_the_browser_reads_them(case):
    assert forms.tree_from_draft(forms.draft_from_form(MultiDict(case["fields"]))) == case["tree"]


def test_too_many_rows_are_refused():
    fields = MultiDict([("0:kind", "and")] + [(f"0.{i}:kind", "has_phone") for i in range(250)])
    with pytest.raises(ValidationError, match="at most 100 conditions"):
        forms.draft_from_form(fields)


def _draft():
    return forms.draft_from_form(MultiDict([("0:kind", "and"), ("0.0:kind", "has_phone"), ("0.1:kind", "or"),
                                            ("0.1.0:kind", "ward"), ("0.1.0:ids", "1")]))


def test_the_buttons_add_and_remove_rows():
    draft = forms.apply_action(_draft(), "add:0.1")
    assert [c["kind"] for c in draft["of"][1]["of"]] == ["ward", ""]
    draft = forms.apply_action(draft, "group:0")
    assert draft["of"][2] == {"kind": "and", "not": False, "of": []}
    draft = forms.apply_action(draft, "remove:0.0")
    assert [c["kind"] for c in draft["of"]] == ["or", "and"]
    numbered = forms.numbered(draft)
    assert [(c["path"], c["number"]) for c in numbered["of"][0]["of"]] == [("0.0.0", "1.1"), ("0.0.1", "")]


@pytest.mark.parametrize("action, message", [
    ("remove:0", "That button is not one of this page's."),
    ("explode:0", "That button is not one of this page's."),
    ("add:0.x", "That button is not one of this page's."),
    ("add:0.7", "That condition is no longer on the page; try again."),
    ("add:0.0", "Conditions are added to groups only."),
    ("remove:0.0.0", "That condition is no longer on the page; try again."),
])
def test_a_forged_button_is_a_clear_error(action, message):
    with pytest.raises(ValidationError, match=message.replace(".", r"\.")):
        forms.apply_action(_draft(), action)


def test_a_saved_tree_comes_back_as_the_same_fields(settings):
    tree = trees.parse({"kind": "not", "of": {"kind": "or", "of": [
        {"kind": "not", "of": {"kind": "outcome", "channel": "phone", "codes": ["busy"], "latest": True}},
        {"kind": "not", "of": {"kind": "not", "of": {"kind": "reached", "channel": "door", "from": "2026-10-01"}}},
        {"kind": "and", "of": [{"kind": "ward", "ids": [2]}]}]}}, settings=settings)
    draft = forms.draft_from_tree(tree)
    assert draft["not"] and draft["of"][0]["kind"] == "phone_outcome" and draft["of"][0]["not"]
    assert draft["of"][1]["not"] is False and draft["of"][1]["to"] == ""
    assert trees.parse(forms.tree_from_draft(draft), settings=settings) == {"kind": "not", "of": {
        "kind": "or", "of": [tree["of"]["of"][0], {"kind": "reached", "channel": "door", "from": "2026-10-01", "to": None},
                             tree["of"]["of"][2]]}}
    leaf = forms.draft_from_tree(trees.parse({"kind": "has_phone"}, settings=settings))
    assert leaf == {"kind": "and", "not": False, "of": [{"kind": "has_phone", "not": False}]}
