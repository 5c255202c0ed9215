"""State enums (app.models.states): members are their stored strings, on both databases."""
import json

import sqlalchemy as sa

from app.models import CallQueueEntry, Channel, DncChannel, DoNotContact, ListStatus, QueueStatus, WalkList


def test_members_equal_the_strings_already_stored():
    assert [str(s) for s in ListStatus] == ["active", "released"]
    assert [str(c) for c in Channel] == ["door", "phone", "relational"]
    assert [str(c) for c in DncChannel] == ["door", "phone", "all"]
    assert [str(s) for s in QueueStatus] == ["queued", "claimed", "done", "retired"]
    assert json.dumps({Channel.DOOR: QueueStatus.DONE}) == '{"door": "done"}'  # JSON and templates unchanged


def test_models_default_to_members():
    assert WalkList(name="x", code="X").status is ListStatus.ACTIVE
    assert CallQueueEntry(person_id=1, phone="+16175550100").status is QueueStatus.QUEUED
    assert DoNotContact().channel is DncChannel.ALL


def test_rows_written_with_members_read_back_as_the_strings(db, make_household, make_walk_list):
    walk_list = make_walk_list([make_household()])
    walk_list.status = ListStatus.RELEASED
    db.commit()
    stored = db.execute(sa.text("SELECT status FROM walk_lists WHERE id = :id"), {"id": walk_list.id}).scalar_one()
    assert stored == "released" and type(stored) is str
    found = db.execute(sa.select(WalkList.id).where(WalkList.status == ListStatus.RELEASED)).scalars().all()
    assert found == [walk_list.id]
