"""The PIN join form (Flask-WTF: CSRF on, like every form)."""
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, Regexp


class JoinForm(FlaskForm):
    code = StringField("List code", validators=[DataRequired(), Length(max=16)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})
    pin = StringField("PIN", validators=[DataRequired(), Regexp(r"^\s*\d{4,12}\s*$", message="The PIN is digits only.")],
                      render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})
    submit = SubmitField("Join the list")
