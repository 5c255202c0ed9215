"""Near-me forms (Flask-WTF: every POST carries a CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange
from wtforms.widgets import CheckboxInput, ListWidget

from .rules import MAX_RETURN_MINUTES, MIN_RETURN_MINUTES


class TakeForm(FlaskForm):
    """"Take it": the request the offer answered, and which offer the volunteer saw."""
    minutes = HiddenField()
    km = HiddenField()
    lat = HiddenField()
    lon = HiddenField()
    key = HiddenField()


class ButtonForm(FlaskForm):
    """A one-button form (hand back, share on or off): only the CSRF token."""


class RulesForm(FlaskForm):
    enabled = BooleanField("Self-serve canvassing is on for this team")
    areas = SelectMultipleField("Self-serve areas", widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
    universe = SelectField("Whose doors (universe)", choices=[])
    return_minutes = IntegerField("Back to the pool after (minutes with nothing recorded)", validators=[
        InputRequired(message="Say after how many minutes an untouched list goes back to the pool."),
        NumberRange(min=MIN_RETURN_MINUTES, max=MAX_RETURN_MINUTES,
                    message=f"Between {MIN_RETURN_MINUTES} and {MAX_RETURN_MINUTES} minutes.")])
