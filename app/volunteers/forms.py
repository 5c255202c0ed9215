"""The sign-up and "email me a link" forms (Flask-WTF: each carries a CSRF token)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, SelectMultipleField, StringField, SubmitField, TextAreaField, widgets
from wtforms.validators import DataRequired, Length, ValidationError

from ..auth import operations as auth_ops
from ..config import settings
from ..db import get_session
from ..errors import LegworkError
from ..imports.phones import PhoneError, parse_phone
from ..models import INTERESTS
from .queries import postcode_place

INTEREST_LABELS = {"knock_doors": "Knock on doors", "phone": "Make phone calls", "drive": "Drive people",
                   "tell": "Stand outside a polling station on election day", "host": "Host an event",
                   "data_entry": "Help with data entry"}

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # older WTForms
    def _Choice(value, label):
        return (value, label)


class Checkboxes(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SignUpForm(FlaskForm):
    name = StringField("Your name", validators=[DataRequired(message="Please tell us your name."), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    email = EmailField("Email", validators=[DataRequired(message="We need your email to send you a link."),
                                            Length(max=254)], render_kw={"autocomplete": "email"})
    phone = StringField("Phone (optional)", validators=[Length(max=40)], render_kw={"autocomplete": "tel"})
    postcode = StringField("Postcode", validators=[DataRequired(message="Your postcode finds your local team."),
                                                   Length(max=20)], render_kw={"autocomplete": "postal-code"})
    availability = TextAreaField("When can you help?", validators=[Length(max=500)],
                                 render_kw={"rows": 2, "placeholder": "Weekday evenings, Saturday mornings"})
    interests = Checkboxes("What would you like to do?", choices=[_Choice(i, INTEREST_LABELS[i]) for i in INTERESTS],
                           validate_choice=False)
    # The recruiting code of whoever invited them (app.recruiting): unknown or junk is no credit, not an error.
    invite_code = StringField("Invite code (optional)", render_kw={"autocomplete": "off", "maxlength": 20,
                                                                   "autocapitalize": "characters"})
    consent = BooleanField(validators=[DataRequired(message="Please tick the box so we may keep your details.")])
    submit = SubmitField("Sign up")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent.label.text = settings().volunteers.consent_text
        self.e164 = None

    def validate_email(self, field):
        try:
            auth_ops.check_email(field.data)
        except LegworkError:
            raise ValidationError("That does not look like an email address.") from None

    def validate_phone(self, field):
        if field.data and field.data.strip():
            try:
                self.e164, _ = parse_phone(field.data, settings().default_region)
            except PhoneError:
                raise ValidationError("That is not a phone number we can call; check it, or leave it out.") from None

    def validate_postcode(self, field):
        try:
            postcode_place(get_session(), text=field.data)
        except LegworkError as err:
            raise ValidationError(err.message) from None

    def validate_interests(self, field):
        unknown = [i for i in field.data or [] if i not in INTERESTS]
        if unknown:
            raise ValidationError("Choose from the boxes shown.")


class LinkForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(message="Which email shall we send the link to?"),
                                            Length(max=254)], render_kw={"autocomplete": "email"})
    submit = SubmitField("Email me a sign-in link")
