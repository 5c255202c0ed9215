"""Giving work makes a canvasser: a signed-up volunteer handed a list gains the canvasser role in
the same transaction (audited); a caller-only account is still refused; a lead may hand lists
only to their teams' members."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import walk_lists as ops
from app.db import write_transaction
from app.errors import Forbidden, ValidationError
from app.models import Assignment, AuditEntry, User
from app.walk_lists import queries


def test_a_volunteer_given_a_list_becomes_a_canvasser(db, make_user, make_ward, make_household, make_walk_list):
    ward = make_ward()
    walk_list = make_walk_list([make_household(ward)], ward=ward)
    volunteer, organiser, canvasser = make_user(roles="volunteer"), make_user(roles="organiser"), make_user()
    offered = {u.id for u in queries.list_detail(db, walk_list_id=walk_list.id).assignable}
    assert {volunteer.id, organiser.id, canvasser.id} <= offered
    db.rollback()
    write_transaction(db, lambda s: ops.assign(s, walk_list_id=walk_list.id, assigned_by_id=organiser.id,
                                               user_ids=[volunteer.id, organiser.id, canvasser.id]))
    db.expire_all()
    assert db.get(User, volunteer.id).roles == "volunteer canvasser"
    assert db.get(User, organiser.id).roles == "organiser" and db.get(User, canvasser.id).roles == "canvasser"
    changes = db.exec(sa.select(AuditEntry).where(AuditEntry.action == "role.change")).scalars().all()
    assert [(c.target, c.actor_user_id) for c in changes] == [(f"user:{volunteer.id}", organiser.id)]


def test_a_caller_only_account_is_still_refused(db, make_user, make_ward, make_household, make_walk_list):
    ward = make_ward()
    walk_list = make_walk_list([make_household(ward)], ward=ward)
    caller = make_user(roles="caller")
    assert caller.id not in {u.id for u in queries.list_detail(db, walk_list_id=walk_list.id).assignable}
    db.rollback()
    with pytest.raises(ValidationError, match="cannot canvass"):
        write_transaction(db, lambda s: ops.assign(s, walk_list_id=walk_list.id, user_ids=[caller.id], assigned_by_id=None))
    db.expire_all()
    assert db.get(User, caller.id).roles == "caller"


def test_member_ids_limit_whom_a_list_goes_to(db, make_user, make_ward, make_household, make_walk_list):
    ward = make_ward()
    walk_list = make_walk_list([make_household(ward)], ward=ward)
    member, stranger = make_user(roles="volunteer"), make_user(roles="volunteer")
    offered = queries.list_detail(db, walk_list_id=walk_list.id, member_ids={member.id}).assignable
    assert [u.id for u in offered] == [member.id]
    db.rollback()
    with pytest.raises(Forbidden):
        write_transaction(db, lambda s: ops.assign(s, walk_list_id=walk_list.id, user_ids=[member.id, stranger.id],
                                                   assigned_by_id=None, member_ids={member.id}))
    db.expire_all()
    assert db.exec(sa.select(sa.func.count()).select_from(Assignment)).scalar_one() == 0
    assert db.get(User, member.id).roles == "volunteer"  # nothing of a refused batch is kept
