"""A universe's definition is checked strictly: a bad tree is a ValidationError that names the
condition and where it is in the JSON; a good one comes back in its one canonical form."""
from __future__ import annotations

import pytest

from app.errors import ValidationError
from app.universes import tree as trees

WARD = {"kind": "ward", "ids": [1]}


def group(*nodes, kind="and"):
    return {"kind": kind, "of": list(nodes)}


@pytest.mark.parametrize("raw, message", [
    ("not json", "The definition is not valid JSON."),
    ("x" * 50_001, "The definition is longer than 50,000 characters."),
    ([], "The universe (/): each condition must be an object"),
    ({}, "The universe (/): each condition needs a 'kind' (one of and, or, not, ward"),
    ({"kind": 7}, "The universe (/): unknown kind '7'"),
    ({"kind": "everyone"}, "The universe (/): unknown kind 'everyone' (expected one of and, or, not, ward"),
    ({"kind": "and"}, "The universe (/): kind 'and' needs 'of'."),
    ({"kind": "and", "of": {}}, "The universe (/): 'and' needs a list of conditions in 'of'."),
    (group(WARD, {"kind": "ward"}), "Condition 2 (/of/1): kind 'ward' needs 'ids'."),
    (group(WARD, {"kind": "ward", "ids": [1], "colour": "red"}), "Condition 2 (/of/1): unknown key 'colour' for kind 'ward'."),
    (group(group(WARD, {"kind": "ward", "ids": []})), "Condition 1.2 (/of/0/of/1): choose at least one ward."),
    (group(group(WARD, {"kind": "neighbourhood", "ids": ["3"]})),
     "Condition 1.2 (/of/0/of/1): 'ids' must hold whole-number ids from 1 to 2147483647 (got '3')."),
    (group({"kind": "walk_list", "ids": [True]}), "Condition 1 (/of/0): 'ids' must hold whole-number ids"),
    (group({"kind": "walk_list", "ids": [2**31]}), "Condition 1 (/of/0): 'ids' must hold whole-number ids"),
    (group({"kind": "ward", "ids": list(range(1, 1002))}), "Condition 1 (/of/0): 'ids' must be a list of at most 1000 wards."),
    ({"kind": "not", "of": group(WARD, {"kind": "support"})},
     "Condition 2 (/of/of/1): choose at least one support level, or “no answer yet”."),
    (group({"kind": "support", "levels": ["9"]}), "Condition 1 (/of/0): unknown support level '9'."),
    (group({"kind": "support", "levels": [1]}), "Condition 1 (/of/0): unknown support level '1'."),
    (group({"kind": "support", "levels": ["1"], "unknown": "yes"}), "Condition 1 (/of/0): 'unknown' must be true or false."),
    (group({"kind": "reached", "channel": "email"}), "Condition 1 (/of/0): 'channel' must be one of any, door, phone, relational (got 'email')."),
    (group({"kind": "reached", "from": "2026-10-32"}), "Condition 1 (/of/0): 'from' must be a date like 2024-11-05 (got '2026-10-32')."),
    (group({"kind": "attempted", "to": "0001-01-01"}), "Condition 1 (/of/0): 'to' must be between 1900-01-01 and 2999-12-31."),
    (group({"kind": "reached", "from": "2026-10-02", "to": "2026-10-01"}),
     "Condition 1 (/of/0): 'from' (2026-10-02) is after 'to' (2026-10-01)."),
    (group({"kind": "outcome", "channel": "any", "codes": ["spoke"]}),
     "Condition 1 (/of/0): 'channel' must be one of door, phone, relational (got 'any')."),
    (group({"kind": "outcome", "channel": "door", "codes": ["busy"]}), "Condition 1 (/of/0): unknown door outcome 'busy'."),
    (group({"kind": "outcome", "channel": "phone", "codes": []}), "Condition 1 (/of/0): choose at least one phone outcome."),
    (group({"kind": "issue", "issues": ["Parking"]}), "Condition 1 (/of/0): unknown issue 'Parking'."),
    (group({"kind": "flag", "flags": ["tattoo"]}), "Condition 1 (/of/0): unknown flag 'tattoo'."),
    (group({"kind": "voted", "election_id": "2"}), "Condition 1 (/of/0): 'election_id' must be a whole-number id"),
    (group({"kind": "did_not_vote", "election_id": ""}), "Condition 1 (/of/0): choose an election."),
    (group({"kind": "has_phone", "ids": [1]}), "Condition 1 (/of/0): unknown key 'ids' for kind 'has_phone'."),
])
def test_a_bad_tree_is_refused_naming_the_bad_part(settings, raw, message):
    with pytest.raises(ValidationError) as err:
        trees.parse(raw, settings=settings)
    assert err.value.message.startswith(message), err.value.message


def test_too_deep_and_too_many_are_refused(settings):
    deep = WARD
    for _ in range(trees.MAX_DEPTH + 1):
        deep = group(deep)
    with pytest.raises(ValidationError, match="groups nest at most 8 deep"):
        trees.parse(deep, settings=settings)
    with pytest.raises(ValidationError, match=r"Condition 100 \(/of/99\): a universe has at most 100 conditions"):
        trees.parse(group(*[WARD] * 100), settings=settings)


def test_the_canonical_form_has_every_key_sorted_ids_and_the_scale_order(settings):
    tree = trees.parse('{"kind": "or", "of": [{"kind": "ward", "ids": [3, 1, 3]}, '
                       '{"kind": "support", "levels": ["3", "1"]}, {"kind": "reached"},'
                       '{"kind": "not", "of": {"kind": "has_phone"}}]}', settings=settings)
    assert tree == {"kind": "or", "of": [
        {"kind": "ward", "ids": [1, 3]},
        {"kind": "support", "levels": ["1", "3"], "unknown": False},
        {"kind": "reached", "channel": "any", "from": None, "to": None},
        {"kind": "not", "of": {"kind": "has_phone"}}]}
    assert trees.parse(trees.dumps(tree), settings=settings) == tree  # stored, read back: the same


def test_empty_groups_mean_everyone_and_no_one(settings):
    assert trees.parse({"kind": "and", "of": []}, settings=settings) == {"kind": "and", "of": []}
    assert trees.parse({"kind": "or", "of": []}, settings=settings) == {"kind": "or", "of": []}
