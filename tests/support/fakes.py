"""Stand-ins the write-path tests share."""
from __future__ import annotations

from types import SimpleNamespace


class FakeSession:
    """What write_transaction needs of a session (a database that is not SQLite): the group
    logic is what is under test here."""

    dialect = SimpleNamespace(name="fake")
    identity_map, new, deleted = {}, (), ()

    def rollback(self):
        pass

    def commit(self):
        pass
