"""People you know: a volunteer's list is theirs alone. Any other principal (another volunteer,
a team lead, an organiser) asking for an entry by id is told it does not exist (404), so ids
reveal nothing; organisers read counts (app/relational/queries.py), never the entries."""
from __future__ import annotations

from ...errors import Forbidden, NotFound
from .roles import is_user


def may_know_people(principal) -> bool:
    """Listing people you know needs an account (a PIN joiner has none)."""
    return is_user(principal)


def require_knows_people(principal) -> None:
    if not may_know_people(principal):
        raise Forbidden("People you know is for volunteers with an account.")


def require_own_entry(principal, entry):
    """The entry, if ``principal`` typed it; NotFound otherwise (or if there is none)."""
    require_knows_people(principal)
    if entry is None or entry.owner_id != principal.id:
        raise NotFound("There is no such person on your list.")
    return entry
