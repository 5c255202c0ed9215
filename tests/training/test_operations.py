"""Operations called directly, as the events' check-in and CLI commands would."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.errors import Conflict, NotFound, ValidationError
from app.models import TrainingCompletion
from app.training import operations as ops


def test_complete_module_records_once(db, make_module, make_user):
    module, user = make_module(), make_user()
    assert write_transaction(db, lambda s: ops.complete_module(s, module_id=module.id, user_id=user.id)) is True
    assert write_transaction(db, lambda s: ops.complete_module(s, module_id=module.id, user_id=user.id)) is False
    assert db.execute(sa.select(sa.func.count()).select_from(TrainingCompletion)).scalar_one() == 1


def test_completing_a_deleted_module_is_not_found(db, make_module, make_user):
    module, user = make_module(), make_user()
    write_transaction(db, lambda s: ops.delete_module(s, module_id=module.id))
    with pytest.raises(NotFound):
        write_transaction(db, lambda s: ops.complete_module(s, module_id=module.id, user_id=user.id))


@pytest.mark.parametrize("change, error", [
    ({"slug": "Bad Slug"}, ValidationError), ({"slug": "new"}, ValidationError), ({"title": " "}, ValidationError),
    ({"body": "x\x00y"}, ValidationError), ({"required_for": ["polling_day"]}, ValidationError),
    ({"slug": "taken"}, Conflict),
])
def test_create_module_checks_everything_itself(db, make_module, change, error):
    make_module(slug="taken")
    fields = ops.ModuleFields(**{**dict(slug="fine", title="Fine", body="", quiz=[], required_for=[]), **change})
    with pytest.raises(error):
        write_transaction(db, lambda s: ops.create_module(s, fields=fields))
