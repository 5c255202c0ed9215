"""Recruiting forms (Flask-WTF: each carries a CSRF token)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from .message import MAX_LENGTH


class ButtonForm(FlaskForm):
    submit = SubmitField("Go")


class ClaimForm(FlaskForm):
    code = StringField("Their code", validators=[DataRequired(message="Type the code they gave you."), Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "ABCD-EFGH"})
    submit = SubmitField("Credit them")


class WelcomeForm(FlaskForm):
    recruit_id = IntegerField(validators=[DataRequired(message="Whom to welcome?"),
                                          NumberRange(min=1, max=2**31 - 1, message="That is not someone who joined "
                                                                                    "through you.")])
    submit = SubmitField("Send a welcome email")


class MessageForm(FlaskForm):
    body = TextAreaField("The message volunteers share", validators=[DataRequired(message="Write the message."),
                                                                     Length(max=MAX_LENGTH)], render_kw={"rows": 5})
    submit = SubmitField("Save the message")
