"""Follow-ups made from stored contact events, in the transaction that stores them."""
from __future__ import annotations

from sqlmodel import Session

from ..models import FollowUp, utcnow
from ..sql import chunks, on_conflict

# survey_responses flag -> follow-up kind; "question" comes from the event's follow_up text.
FLAG_KINDS = (("poster", "poster"), ("postal_vote", "postal_vote"), ("volunteer_interest", "volunteer"))
KINDS = {"poster": "Wants a poster", "postal_vote": "Wants a postal-vote form",
         "volunteer": "Wants to volunteer", "question": "Question to answer"}


def follow_up_rows(values: dict, item: dict, now) -> list[dict]:
    """The follow-ups one stored event asks for: one per person and flag, and one for a question."""
    base = dict(event_id=values["id"], household_id=values["household_id"], walk_list_id=values.get("walk_list_id"),
                channel=values["channel"], status="open", created_at=now, note="", done_note="")
    rows = [dict(base, person_id=r["person_id"], kind=kind)
            for r in item["responses"] for flag, kind in FLAG_KINDS if r.get(flag)]
    if item.get("follow_up"):
        rows.append(dict(base, person_id=values.get("person_id"), kind="question", note=item["follow_up"]))
    return rows


def add_follow_ups(session: Session, *, stored: list[tuple[dict, dict]]) -> int:
    """Insert the follow-ups of events just stored (never of a replay: the caller passes only
    the events its INSERT wrote, so each exists once); how many."""
    now = utcnow()
    rows = [row for values, item in stored for row in follow_up_rows(values, item, now)]
    if not rows:
        return 0
    conn = session.connection()
    stmt = on_conflict(conn, FollowUp.__table__, name="follow_ups.insert_new", build=lambda insert: (
        insert.on_conflict_do_nothing(index_elements=["event_id", "person_id", "kind"])))
    for chunk in chunks(rows):
        conn.execute(stmt, list(chunk))
    return len(rows)
