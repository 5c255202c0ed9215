"""Renaming a walk list (app.walk_lists.names): the name as stored, what is refused, the audit."""
from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa
from hypothesis import given, strategies as st

from app.db import write_transaction
from app.errors import Forbidden, NotFound, ValidationError
from app.models import AuditEntry, ListStatus, WalkList
from app.walk_lists import release_list
from app.walk_lists.names import MAX_NAME, clean_name, rename_list


@pytest.fixture
def lists(db, make_ward, make_household, make_walk_list):
    ward = make_ward("W1", "Ward 9")
    return [make_walk_list([make_household(ward)], name=f"Ward 9 · {n}", ward=ward) for n in (1, 2)]


def _rename(db, walk_list_id, name, **kw):
    return write_transaction(db, lambda s: rename_list(s, walk_list_id=walk_list_id, name=name, by_id=None, **kw))


def test_a_rename_is_stored_tidied_and_audited_with_both_names(db, lists):
    _rename(db, lists[0].id, "  Riverside \t  north  ")
    assert db.get(WalkList, lists[0].id).name == "Riverside north"
    entry = db.execute(sa.select(AuditEntry).where(AuditEntry.action == "lists.rename")).scalar_one()
    assert entry.target == f"walk_list:{lists[0].id}"
    assert json.loads(entry.detail) == {"from": "Ward 9 · 1", "to": "Riverside north"}
    _rename(db, lists[0].id, "Riverside north")  # the same name again: nothing to record
    assert db.execute(sa.select(sa.func.count()).select_from(AuditEntry)
                      .where(AuditEntry.action == "lists.rename")).scalar_one() == 1


@pytest.mark.parametrize("name, message", [
    ("", "Give the list a name."),
    (" \t ", "Give the list a name."),
    ("x" * (MAX_NAME + 1), f"at most {MAX_NAME} characters ({MAX_NAME + 1} given)"),
    ("Ward\x00 9", "control characters"),
    ("ward 9 · 2", "Another active list is already called “ward 9 · 2”."),  # case does not make it another name
])
def test_a_bad_name_is_refused_and_changes_nothing(db, lists, name, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        _rename(db, lists[0].id, name)
    db.rollback()
    assert db.get(WalkList, lists[0].id).name == "Ward 9 · 1"
    assert db.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one() == 0


def test_a_released_list_s_name_is_free_again(db, lists):
    write_transaction(db, lambda s: release_list(s, walk_list_id=lists[1].id, by_id=None))
    _rename(db, lists[0].id, "Ward 9 · 2")
    rows = sorted((w.id, w.name, w.status) for w in db.execute(sa.select(WalkList)).scalars())
    assert rows == [(lists[0].id, "Ward 9 · 2", ListStatus.ACTIVE), (lists[1].id, "Ward 9 · 2", ListStatus.RELEASED)]


def test_a_missing_or_out_of_scope_list_is_refused(db, lists, make_ward):
    from app.auth.access import Scope

    with pytest.raises(NotFound):
        _rename(db, 10**6, "Anything")
    elsewhere = make_ward("W2", "Ward 2", bounds=(-71.09, 42.36, -71.07, 42.38))
    with pytest.raises(Forbidden):
        _rename(db, lists[0].id, "Anything", scope=Scope(ward_ids=frozenset({elsewhere.id})))


@given(st.text(max_size=200))
def test_clean_name_gives_a_storable_name_or_says_why_not(name):
    try:
        cleaned = clean_name(name)
    except ValidationError as error:
        assert error.message
        return
    assert cleaned and cleaned == cleaned.strip() and "  " not in cleaned and len(cleaned) <= MAX_NAME
    assert not any(ord(c) < 32 or ord(c) == 127 for c in cleaned)
