"""Survey questions, their immutable versions, the support scale, surveys (questions + scripts) and
which survey a walk list or call sheet uses; and the answers, each pointing at the version it answered.

Editing a question's wording or choices adds a version: an answer keeps the version it answered,
so its meaning never changes under it. With no rows here the campaign runs on config.toml's
[survey] and [phonebank] script (app/surveys/seed.py copies them in on the first edit).
"""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .base import utcnow


class SupportValue(SQLModel, table=True):
    """One step of the support scale. ``leaning`` ("supporter", "undecided", "against") is what
    the summaries, universes and dashboards count it as."""

    __tablename__ = "support_scale_values"

    id: Optional[int] = Field(default=None, primary_key=True)
    value: str = Field(max_length=20, unique=True)  # what survey_responses.support_level stores
    label: str = Field(max_length=80)
    leaning: str = Field(default="undecided", max_length=10)
    position: int = 0


class Question(SQLModel, table=True):
    """A question's identity and place; its wording lives in its versions (the highest is current)."""

    __tablename__ = "survey_questions"

    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # app.surveys.kinds.KINDS
    position: int = 0
    retired_at: Optional[datetime] = None
    created_at: datetime = Field(default_factory=utcnow)


class QuestionVersion(SQLModel, table=True):
    """One wording of a question: never changed once written (answers point at it)."""

    __tablename__ = "survey_question_versions"
    __table_args__ = (sa.UniqueConstraint("question_id", "version"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="survey_questions.id", index=True)
    version: int = 1
    prompt: str = Field(max_length=300)
    choices: str = Field(default="[]", sa_column=sa.Column(sa.Text, nullable=False, server_default="[]"))  # JSON list
    min_value: Optional[int] = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    max_value: Optional[int] = Field(default=None, sa_column=sa.Column(sa.BigInteger, nullable=True))
    max_length: Optional[int] = None
    created_by_id: Optional[int] = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow)


class Survey(SQLModel, table=True):
    """A set of questions and the door and phone scripts; exactly one is the campaign's default."""

    __tablename__ = "surveys"

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    door_script: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    phone_script: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False, server_default=""))
    is_default: bool = False
    updated_at: datetime = Field(default_factory=utcnow)


class SurveyItem(SQLModel, table=True):
    """A question asked in a survey (in the questions' own order)."""

    __tablename__ = "survey_items"

    survey_id: int = Field(foreign_key="surveys.id", primary_key=True)
    question_id: int = Field(foreign_key="survey_questions.id", primary_key=True, index=True)


class ListSurvey(SQLModel, table=True):
    """The survey a walk list asks (none: the default survey)."""

    __tablename__ = "walk_list_surveys"

    walk_list_id: int = Field(foreign_key="walk_lists.id", primary_key=True)
    survey_id: int = Field(foreign_key="surveys.id", index=True)


class SheetSurvey(SQLModel, table=True):
    """The survey a call sheet asks (none: the default survey)."""

    __tablename__ = "call_sheet_surveys"

    sheet_id: int = Field(foreign_key="call_sheets.id", primary_key=True)
    survey_id: int = Field(foreign_key="surveys.id", index=True)


class SurveyAnswer(SQLModel, table=True):
    """One person's answer to one question version during a contact event; written with the event,
    by app.contacts, once (the event's id is the client's UUID)."""

    __tablename__ = "survey_answers"
    __table_args__ = (sa.UniqueConstraint("event_id", "person_id", "question_version_id"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="contact_events.id", index=True, max_length=36)
    person_id: Optional[int] = Field(default=None, foreign_key="people.id", index=True)
    question_version_id: int = Field(foreign_key="survey_question_versions.id", index=True)
    value: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # app.surveys.kinds: the stored form
