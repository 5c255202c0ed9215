from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class PersonFix(SQLModel, table=True):
    """A correction made at the door: a resident added, moved away, deceased, a name corrected, a
    phone number or email given with consent. The id is the phone's UUID, so a resent fix is the
    same row. Applied when stored; ``before`` and ``after`` (JSON) let an organiser revert it."""

    __tablename__ = "person_fixes"

    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(max_length=20)  # add, moved, deceased, name, phone, email
    household_id: int = Field(foreign_key="households.id", index=True)
    person_id: Optional[int] = Field(default=None, foreign_key="people.id", index=True)
    walk_list_id: Optional[int] = Field(default=None, foreign_key="walk_lists.id", index=True)
    actor_user_id: Optional[int] = Field(default=None, foreign_key="users.id")
    actor_pin_id: Optional[int] = Field(default=None, foreign_key="list_pins.id")
    actor_label: str = Field(default="", max_length=254)
    before: str = Field(default="{}", sa_column=sa.Column(sa.Text, nullable=False, server_default="{}"))
    after: str = Field(default="{}", sa_column=sa.Column(sa.Text, nullable=False, server_default="{}"))
    consent_text: str = Field(default="", max_length=1000)  # the wording the canvasser read out
    consent_at: Optional[datetime] = None                  # by the phone's clock, when consent was given
    recorded_at: datetime
    received_at: datetime = Field(default_factory=utcnow, index=True)
    status: str = Field(default="applied", max_length=20, index=True)  # applied, accepted, reverted
    reviewed_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    reviewed_at: Optional[datetime] = None


class FollowUp(SQLModel, table=True):
    """Something a door or a call asked the campaign to do (a poster, a postal-vote form, a new
    volunteer, a question to answer): one per (contact event, person, kind), made in the answer's
    transaction, worked on the organiser's follow-up queue."""

    __tablename__ = "follow_ups"
    __table_args__ = (sa.UniqueConstraint("event_id", "person_id", "kind"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="contact_events.id", index=True, max_length=36)
    kind: str = Field(max_length=20, index=True)  # poster, postal_vote, volunteer, question
    household_id: int = Field(foreign_key="households.id", index=True)
    person_id: Optional[int] = Field(default=None, foreign_key="people.id", index=True)
    walk_list_id: Optional[int] = Field(default=None, foreign_key="walk_lists.id")
    channel: str = Field(default="door", max_length=10)
    note: str = Field(default="", max_length=2000)  # the question the canvasser noted
    status: str = Field(default="open", max_length=20, index=True)  # open, claimed, done
    claimed_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    claimed_at: Optional[datetime] = None
    done_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    done_at: Optional[datetime] = None
    done_note: str = Field(default="", max_length=2000)
    created_at: datetime = Field(default_factory=utcnow, index=True)
