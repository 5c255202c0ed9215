"""The lists' stored sort keys (WalkList.sort_key, app.sorting.sort_key of the name), by which the
list of lists is ordered and paged in SQL. Every insert and rename writes its list's key
(app/models/turf.py); ``refresh_sort_keys`` recomputes them all, for lists stored before the
column (migration 0022) or by a version whose natural order differed (``flask init-db``)."""
from __future__ import annotations

import sqlalchemy as sa

from ..models import WalkList
from ..sorting import sort_key
from ..sql import chunks

# Ids and names read this many at a time, by id: a state's 52,000 lists never sit in memory at once.
BATCH = 5000


def refresh_sort_keys(conn) -> int:
    """Store the sort key of every list whose stored key is not its name's; the number rewritten.
    A state's 52,000 lists are read and their keys computed in about a second; only the rows whose
    key changed are written, so running it again (every ``flask init-db``) writes nothing."""
    table = WalkList.__table__
    update = (sa.update(table).where(table.c.id == sa.bindparam("lid"))
              .values(sort_key=sa.bindparam("key", type_=table.c.sort_key.type)))
    written, after = 0, 0
    while True:
        rows = conn.execute(sa.select(table.c.id, table.c.name, table.c.sort_key).where(table.c.id > after)
                            .order_by(table.c.id).limit(BATCH)).all()
        if not rows:
            return written
        stale = [{"lid": lid, "key": key} for lid, name, stored in rows if (key := sort_key(name)) != stored]
        for chunk in chunks(stale):
            conn.execute(update, list(chunk))
        written, after = written + len(stale), rows[-1][0]
