"""Walk-list forms (Flask-WTF: every one carries a CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class CutForm(FlaskForm):
    area = SelectField("Area to cut", validators=[DataRequired(message="Choose a ward or neighbourhood.")])
    # InputRequired, not DataRequired: 0 is an answer (out of range), not a missing one.
    target_size = IntegerField("Doors per list", validators=[
        InputRequired(message="Give the number of doors per list."),
        NumberRange(min=5, max=500, message="Doors per list must be a whole number between 5 and 500.")])
    # Choices per request (app.universes.queries.choices): "" is everyone in the area.
    universe = SelectField("Universe (optional)", default="", validate_choice=True)


class SaveForm(FlaskForm):
    proposal = HiddenField(validators=[DataRequired()])


class AssignForm(FlaskForm):
    user_ids = SelectMultipleField("Volunteers", coerce=int,
                                   validators=[DataRequired(message="Choose at least one volunteer.")])


class PinForm(FlaskForm):
    label = StringField("Who is it for? (optional)", validators=[Length(max=120)])


class ButtonForm(FlaskForm):
    """A one-button form (unassign, release, revoke): only the CSRF token."""


class ReleaseForm(FlaskForm):
    """Releasing cannot be undone and cuts off everyone on the list mid-walk: the organiser ticks
    a box first, so a stray tap on the button changes nothing (and it works without JavaScript)."""
    confirm = BooleanField("Yes, release this list now", validators=[
        DataRequired(message="Tick “Yes, release this list now” first: releasing cannot be undone.")])


class ListFilterForm(FlaskForm):
    """The list page's filter: a GET form, so a filtered view can be bookmarked or shared."""

    class Meta:
        csrf = False  # it changes nothing

    area = SelectField("Area", default="")
    state = SelectField("Show", default="")


class RenameForm(FlaskForm):
    """A list's new name (walk_lists.names.clean_name has the last word on what is allowed)."""
    name = StringField("New name", validators=[DataRequired(message="Give the list a name."),
                                               Length(max=120, message="A list's name is at most 120 characters.")])
