"""Polling-day forms (Flask-WTF: every one carries a CSRF token)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, Optional


class ButtonForm(FlaskForm):
    """A one-button form (claim, release, done, cancel): only the CSRF token."""


class LiftForm(FlaskForm):
    name = StringField("Voter's name", validators=[DataRequired(message="Give the voter's name."), Length(max=200)])
    address = StringField("Pick-up address", validators=[DataRequired(message="Give the pick-up address."),
                                                         Length(max=300)])
    phone = StringField("Phone (optional)", validators=[Length(max=40)])
    wanted_at = TimeField("Pick-up time today (empty: as soon as possible)", validators=[Optional()])
    access_needs = TextAreaField("Access needs (wheelchair, guide dog, help with steps…)", validators=[Length(max=500)])
    committee_room_id = SelectField("Committee room", validators=[Optional()])


class SizingForm(FlaskForm):
    """The sizing calculator: a GET form (nothing changes; a figure can be bookmarked). The
    numbers are judged by ``pledges.size`` so the page and its tests share one rule."""

    class Meta:
        csrf = False

    votes = StringField("Votes needed", validators=[Length(max=20)])
    turnout = StringField("Expected pledge turnout (%)", validators=[Length(max=20)])


class BallotStatusUploadForm(FlaskForm):
    """The election office's ballot-status file, on the organiser's import page."""

    csv_file = FileField("Ballot-status CSV", validators=[
        FileRequired("Choose a CSV file."), FileAllowed(["csv", "txt"], "Upload a .csv file.")])
    mapping_file = FileField("Your own mapping (.toml; default: us_absentee.toml)",
                             validators=[FileAllowed(["toml"], "Upload a .toml mapping.")])
    skip_bad = BooleanField("Import the good rows even if some are bad")
