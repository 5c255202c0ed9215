"""THE write path for contact events, door and phone alike, and for the do-not-contact ledger.

Every outcome a phone submits, every call disposition, every "do not contact" comes through
``record_contacts`` (or ``record_contacts_grouped``, the phone's POST). Rooms:

- ``record``: prepare (validate against the database) and store, idempotent on the event's id;
- ``validate``: the shapes, codes and ids an event may have (pure);
- ``ledger``: the do-not-contact ledger, written only from ``record``;
- ``summary`` and ``rollup``: what the maps and dashboard read, folded in the same transaction;
- ``write_group``: group commit of concurrent posts in one process;
- ``commands``: ``flask rebuild-summary``.
"""
from .ledger import ledger_blocks
from .record import (Actor, Prepared, Status, prepare_contacts, record_contacts, record_contacts_grouped,
                     store_prepared)
from .summary import fold_events, rebuild_if_stale, rebuild_household_summaries, rebuild_summary
from . import coverage_triggers  # noqa: F401  (registers the triggers for create_all)
from .validate import parse_id

__all__ = ["Actor", "Status", "Prepared", "prepare_contacts", "store_prepared", "record_contacts",
           "record_contacts_grouped", "ledger_blocks", "parse_id", "fold_events", "rebuild_summary",
           "rebuild_household_summaries", "rebuild_if_stale"]
