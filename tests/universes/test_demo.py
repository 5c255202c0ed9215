"""The demo comes with universes an organiser would start from, each selecting someone."""
from __future__ import annotations

import sqlalchemy as sa

from app.models import Universe
from app.universes.queries import count, definition


def test_the_demo_has_universes_that_select_people(runner, db, settings):
    result = runner.invoke(args=["demo", "--households", "400", "--seed", "5"])
    assert result.exit_code == 0, result.output
    universes = db.execute(sa.select(Universe)).scalars().all()
    assert sorted(u.name for u in universes) == ["Not home last time", "Persuadables to phone",
                                                 "Supporters not knocked this fortnight"]
    for universe in universes:
        assert count(db, tree=definition(universe, settings=settings), settings=settings).people > 0, universe.name
