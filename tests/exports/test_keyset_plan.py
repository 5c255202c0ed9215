"""The contacts export reads a page of events at a time after the last one sent: each page must
seek to its place in the recorded_at index, not read the index from its start (each page then
cost more than the one before: a million-event export took over ten minutes)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app.exports.contacts import _after, _up_to
from app.models import ContactEvent

from tests.support.env import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL's plan (SQLite's planner is not what a state campaign runs)")
START = datetime(2026, 5, 1, tzinfo=timezone.utc)


def test_an_export_page_seeks_to_the_last_event_sent(db, make_household):
    household = make_household()
    db.execute(sa.insert(ContactEvent), [{"id": f"{i:036d}", "channel": "door", "code": "not_home", "household_id": household.id,
                                          "recorded_at": START + timedelta(minutes=i), "received_at": START + timedelta(minutes=i)}
                                         for i in range(20000)])
    db.commit()
    db.execute(sa.text("ANALYZE contact_events"))
    key = (START + timedelta(minutes=15000), f"{15000:036d}")
    page = (sa.select(ContactEvent.id).where(_after(key)).order_by(ContactEvent.recorded_at, ContactEvent.id).limit(500))
    compiled = page.compile(dialect=db.get_bind().dialect, compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.execute(sa.text(f"EXPLAIN {compiled}")).scalars())
    assert "Index Cond: (recorded_at >=" in plan, plan
    ids = db.execute(page).scalars().all()
    assert ids[0] == f"{15001:036d}" and len(ids) == 500
    upto = db.execute(sa.select(sa.func.count()).select_from(ContactEvent).where(_after((START, f"{0:036d}")), _up_to(key)))
    assert upto.scalar_one() == 15000
