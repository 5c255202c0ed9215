"""Sign-in, password and invite forms (Flask-WTF: every one carries a CSRF token)."""
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, EqualTo, Length

from ..models import ROLES
from .operations import MIN_PASSWORD_LENGTH

ROLE_LABELS = {"organiser": "Organiser", "canvasser": "Canvasser", "caller": "Phone-bank caller",
               "volunteer": "Volunteer (signed up; no voter data until given work)",
               "teller": "Teller (polling day: records who has voted)",
               "knocker": "Knocker-up (polling day: knocks up pledges who have not voted)",
               "driver": "Driver (polling day: gives voters lifts)",
               "committee": "Committee room (polling day: dashboard, knock-up rounds)"}

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # older WTForms
    def _Choice(value, label):
        return (value, label)

ROLE_CHOICES = [_Choice(r, ROLE_LABELS[r]) for r in ROLES]
_too_short = f"At least {MIN_PASSWORD_LENGTH} characters."


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)],
                       render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField("Password", validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    submit = SubmitField("Sign in")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()],
                            render_kw={"autocomplete": "current-password"})
    new = PasswordField("New password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, message=_too_short)],
                        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("New password again", validators=[EqualTo("new", message="The two passwords differ.")],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Change password")


class AcceptInviteForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(message="Please tell us your name."), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    password = PasswordField("Choose a password",
                             validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, message=_too_short)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField("Password again", validators=[EqualTo("password", message="The two passwords differ.")],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField("Join")


class RolesField(SelectMultipleField):
    """Roles as a row of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class InviteForm(FlaskForm):
    email = EmailField("Volunteer's email", validators=[DataRequired(), Length(max=254)])
    roles = RolesField("Roles", choices=ROLE_CHOICES, default=["canvasser"],
                       validators=[DataRequired(message="Choose at least one role.")])
    submit = SubmitField("Create invite")


class RolesForm(FlaskForm):
    roles = RolesField("Roles", choices=ROLE_CHOICES,
                       validators=[DataRequired(message="Choose at least one role.")])
    submit = SubmitField("Save roles")


class ConfirmForm(FlaskForm):
    """A bare button (deactivate, reactivate): only the CSRF token matters."""

    submit = SubmitField("Confirm")
