"""Polling-day forms (Flask-WTF: every one carries a CSRF token)."""
from datetime import time

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (BooleanField, DateField, FloatField, SelectField, SelectMultipleField, StringField, TextAreaField,
                     TimeField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional


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


# ---- set-up (organisers): the operations in operations.py judge the values again -----------------
class ElectionForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Give the election a name."), Length(max=200)])
    polling_date = DateField("Polling day", validators=[InputRequired(message="Give the polling day's date.")])
    polls_open = TimeField("Polls open", default=time(7), validators=[InputRequired(message="When do polls open?")])
    polls_close = TimeField("Polls close", default=time(22),
                            validators=[InputRequired(message="When do polls close?")])
    rehearsal = BooleanField("Rehearsal: a practice day on the real data, wiped afterwards")
    purge_after = DateField("Purge its polling-day data after", validators=[Optional()])


def _coordinate(label: str, limit: int) -> FloatField:
    return FloatField(label, validators=[Optional(), NumberRange(
        min=-limit, max=limit, message=f"{label} must be a number between -{limit} and {limit}.")])


def _districts(label: str) -> SelectMultipleField:
    # Values are neighbourhood codes (unique); the view fills the choices, so a forged code is
    # refused here and, again, by the operation.
    return SelectMultipleField(label, render_kw={"size": 10})


class StationForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Give the polling station's name."),
                                           Length(max=200)])
    address = StringField("Address", validators=[Length(max=300)])
    note = StringField("Note for tellers (e.g. “Rear entrance”)", validators=[Length(max=300)])
    lat = _coordinate("Latitude", 90)
    lon = _coordinate("Longitude", 180)
    opens = TimeField("Opens (empty: when polls open)", validators=[Optional()])
    closes = TimeField("Closes (empty: when polls close)", validators=[Optional()])
    districts = _districts("Polling districts voting here")


class RoomForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Give the committee room's name."),
                                           Length(max=200)])
    address = StringField("Address", validators=[Length(max=300)])
    districts = _districts("Polling districts it covers")


class WipeForm(FlaskForm):
    """Wiping cannot be undone: the organiser ticks a box first (and confirm.js asks again)."""

    confirm = BooleanField("Yes, delete this rehearsal's tellings, lifts and knock-up now", validators=[
        DataRequired(message="Tick the box first: a wipe cannot be undone.")])
