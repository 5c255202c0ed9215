"""The survey pages' forms. Choices that come from the database are filled per request."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..phonebank.forms import MultiCheckboxField, choice
from .kinds import KINDS, MAX_TEXT, NUMBER_LIMIT
from .operations import MAX_PROMPT
from .operations_surveys import MAX_NAME, MAX_SCRIPT


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token (retire, move)."""


class QuestionForm(FlaskForm):
    kind = SelectField("Kind of answer", choices=[choice(k, label) for k, label in KINDS.items()], default="single")
    prompt = StringField("Question", validators=[DataRequired(message="Write the question."), Length(max=MAX_PROMPT)])
    choices = TextAreaField("Choices, one per line (single and multiple choice)", validators=[Optional()])
    min_value = IntegerField("Smallest answer (number)", validators=[
        Optional(), NumberRange(-NUMBER_LIMIT, NUMBER_LIMIT, message="Give a whole number within ±10^12.")])
    max_value = IntegerField("Largest answer (number)", validators=[
        Optional(), NumberRange(-NUMBER_LIMIT, NUMBER_LIMIT, message="Give a whole number within ±10^12.")])
    max_length = IntegerField("Longest answer in characters (free text)", validators=[
        Optional(), NumberRange(1, MAX_TEXT, message=f"Give a number from 1 to {MAX_TEXT}.")])
    # Checked by the operation (a campaign not seeded yet has no survey to offer: the default is made then).
    surveys = MultiCheckboxField("Ask it in these surveys", coerce=int, validate_choice=False, validators=[Optional()])

    def lines(self) -> list[str]:
        return [line for line in (self.choices.data or "").splitlines() if line.strip()]


class SurveyForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Give the survey a name."), Length(max=MAX_NAME)])
    door_script = TextAreaField("Door script", validators=[Optional(), Length(max=MAX_SCRIPT)])
    phone_script = TextAreaField("Phone script", validators=[Optional(), Length(max=MAX_SCRIPT)])
    questions = MultiCheckboxField("Questions", coerce=int, validators=[Optional()])
    make_default = BooleanField("The campaign's default survey (lists and sheets with none chosen)")


class ChooseForm(FlaskForm):
    """Which survey a walk list or call sheet asks ("" = the default)."""

    survey = SelectField("Survey", default="", validate_choice=False, validators=[Optional()])  # checked by _chosen
