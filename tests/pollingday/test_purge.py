"""The purge after an election takes a person's elector number, tellings and strike-off with them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.db import write_transaction
from app.models import Elector, Person, Telling, Voted
from app.pollingday.tellings import store_tellings
from app.purge import purge_personal_data
from tests.support.pollingday import telling


def test_purge_removes_polling_day_records(app, db, polling_day):
    items = [telling(polling_day.west, "AA-1"), telling(polling_day.east, "AB-2")]
    write_transaction(db, lambda s: store_tellings(s, items=items, actor_user_id=None))
    tomorrow = datetime.now(timezone.utc) + timedelta(days=1)
    counts = write_transaction(db, lambda s: purge_personal_data(s, before=tomorrow,
                                                                 settings=app.extensions["legwork_settings"]))
    assert counts["people"] == 10
    assert [db.execute(sa.select(sa.func.count()).select_from(m)).scalar_one()
            for m in (Person, Elector, Telling, Voted)] == [0, 0, 0, 0]
    db.rollback()
