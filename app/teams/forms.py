"""Team forms (Flask-WTF: every one carries a CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget


class TeamForm(FlaskForm):
    name = StringField("Team name", validators=[DataRequired(message="Give the team a name."),
                                                Length(max=120, message="A team name is at most 120 characters.")])
    description = TextAreaField("What the team does (optional)",
                                validators=[Length(max=2000, message="Keep the description under 2000 characters.")])


class AreasForm(FlaskForm):
    """Whole wards and single neighbourhoods ("ward:<id>", "hood:<id>"): choices come from the view."""
    areas = SelectMultipleField("Areas the team covers", widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())


class MemberForm(FlaskForm):
    email = StringField("Email of someone who has signed up", validators=[
        DataRequired(message="Give the email they signed up with."), Length(max=254)])
    lead = BooleanField("Make them a team lead")


class LeadForm(FlaskForm):
    """Make (lead ticked) or unmake a lead."""
    lead = BooleanField("Team lead")


class DeleteForm(FlaskForm):
    confirm = BooleanField("Yes, delete this team", validators=[
        DataRequired(message="Tick “Yes, delete this team” first.")])


class ButtonForm(FlaskForm):
    """A one-button form (remove a member): only the CSRF token."""
