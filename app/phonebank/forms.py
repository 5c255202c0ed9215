"""Phone-bank forms. Choices that come from config.toml or the database are filled per request."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, \
    TextAreaField, widgets
from wtforms.fields import DateTimeLocalField, RadioField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .selection import CRITERIA, PRIORITIES

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice
except ImportError:  # older WTForms: optgroups only as a dict of lists
    SelectChoice = None


def choice(value, label, optgroup: str | None = None):
    if SelectChoice is None:
        return (value, label)
    return SelectChoice(value, label, optgroup=optgroup)


def grouped(groups: dict[str, list[tuple]]):
    """{"Wards": [(value, label), ...]} as choices with optgroups, on any WTForms 3."""
    if SelectChoice is None:
        return groups
    return [choice(value, label, group) for group, items in groups.items() for value, label in items]


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token (next call, skip, queue a sheet)."""


class SheetForm(FlaskForm):
    scope = SelectField("Who to call: a ward, neighbourhood or walk list", validators=[DataRequired()])
    criteria = SelectField("Which people", choices=[choice(*c) for c in CRITERIA.items()], default="not_home")
    priority = SelectField("Call first", choices=[choice(*p) for p in PRIORITIES.items()], default="not_home_first")
    # InputRequired, not DataRequired: 0 is an answer (out of range), not a missing one.
    sheet_size = IntegerField("Numbers per sheet", validators=[
        InputRequired(message="Give how many numbers go on each sheet."),
        NumberRange(1, 1000, message="Numbers per sheet must be a whole number between 1 and 1000.")])
    name = StringField("Sheet name (optional)", validators=[Optional(), Length(max=80)])
    # Choices per request (app.universes.queries.choices): "" is everyone in the area.
    universe = SelectField("Universe (optional)", default="")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class DispositionForm(FlaskForm):
    event_id = HiddenField(validators=[DataRequired()])  # generated with the page: a resubmission records once
    code = RadioField("What happened?", validators=[DataRequired(message="Choose what happened on the call.")])
    call_back_at = DateTimeLocalField("Call back at (their local time)", format="%Y-%m-%dT%H:%M",
                                      validators=[Optional()])
    spoke_with = SelectField("Spoke with", coerce=int, validators=[Optional()])
    support_level = SelectField("Support", validators=[Optional()])
    issues = MultiCheckboxField("Issues they care about", validators=[Optional()])
    volunteer_interest = BooleanField("Wants to volunteer")
    poster = BooleanField("Wants a poster")
    postal_vote = BooleanField("Wants a postal-vote form")
    follow_up = StringField("Question to follow up (the campaign will answer)", validators=[Optional(), Length(max=2000)])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])

    def fill_choices(self, *, settings, people) -> None:
        self.code.choices = [choice(c.code, c.label) for c in settings.phone_dispositions]
        self.support_level.choices = [choice("", "—")] + [choice(v, label) for v, label in settings.support_scale]
        self.issues.choices = [choice(i, i) for i in settings.issues]
        self.spoke_with.choices = [choice(p.id, p.full_name or f"Person {p.id}") for p in people]


class BridgeForm(FlaskForm):
    caller_phone = StringField("Your phone (Twilio rings it, then connects you)",
                               validators=[DataRequired(message="Enter your own phone number."), Length(max=30)])
