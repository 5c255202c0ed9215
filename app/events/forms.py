"""Event forms. Times are typed on the campaign's clock and stored as UTC."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateTimeLocalField, FieldList, FloatField, Form, FormField, IntegerField,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..config import settings
from ..models import EventKind
from .operations import EventInput, ShiftInput

FORMAT = "%Y-%m-%dT%H:%M"
# Polling day's shifts say so: "Telling" alone means nothing to a new volunteer.
_LABELS = {EventKind.TELLING: "Telling (polling day)", EventKind.KNOCKING_UP: "Knocking up (polling day)"}
KIND_CHOICES = [(k.value, _LABELS.get(k, k.value.replace("_", " ").capitalize())) for k in EventKind]


def to_utc(local: datetime) -> datetime:
    """A naive time typed on the campaign's clock, as aware UTC."""
    return local.replace(tzinfo=ZoneInfo(settings().timezone)).astimezone(timezone.utc)


def to_local(when: datetime) -> datetime:
    aware = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    return aware.astimezone(ZoneInfo(settings().timezone)).replace(tzinfo=None)


class ShiftForm(Form):
    starts_at = DateTimeLocalField("Shift starts", format=FORMAT, validators=[Optional()])
    ends_at = DateTimeLocalField("Shift ends", format=FORMAT, validators=[Optional()])
    capacity = IntegerField("Places", validators=[Optional(), NumberRange(min=1, max=100000,
                                                                          message="A shift's places must be at least 1.")])


class EventForm(FlaskForm):
    kind = SelectField("Kind", choices=KIND_CHOICES, validators=[DataRequired()])
    title = StringField("Title", validators=[DataRequired(message="Give the event a title."), Length(max=120)])
    description = TextAreaField("What we will do", validators=[Length(max=5000)])
    starts_at = DateTimeLocalField("Starts", format=FORMAT, validators=[InputRequired(message="When does it start?")])
    ends_at = DateTimeLocalField("Ends", format=FORMAT, validators=[InputRequired(message="When does it end?")])
    meeting_point = StringField("Meeting point", validators=[Length(max=200)])
    lat = FloatField("Latitude", validators=[Optional(), NumberRange(min=-90, max=90,
                                                                     message="Latitude must be between -90 and 90.")])
    lon = FloatField("Longitude", validators=[Optional(), NumberRange(
        min=-180, max=180, message="Longitude must be between -180 and 180.")])
    capacity = IntegerField("Places (empty: no limit)", validators=[Optional(), NumberRange(
        min=1, max=100000, message="Places must be a whole number of at least 1.")])
    team_id = SelectField("Team", coerce=str, default="")
    host_id = SelectField("Host", coerce=str, default="")
    shifts = FieldList(FormField(ShiftForm), min_entries=3, max_entries=3)
    walk_list_ids = SelectMultipleField("Walk lists to work", coerce=int)
    call_sheet_ids = SelectMultipleField("Call sheets to work", coerce=int)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for f in (self.starts_at, self.ends_at, *(e.form[n] for e in self.shifts for n in ("starts_at", "ends_at"))):
            if f.data is not None and not 2000 <= f.data.year <= 2100:
                f.errors.append("Give a date between the years 2000 and 2100.")
                ok = False
        if ok and self.ends_at.data <= self.starts_at.data:
            self.ends_at.errors.append("The event must end after it starts.")
            ok = False
        for entry in self.shifts:
            s = entry.form
            if (s.starts_at.data is None) != (s.ends_at.data is None):
                s.ends_at.errors.append("Give a shift both a start and an end.")
                ok = False
            elif s.starts_at.data is not None and s.ends_at.data <= s.starts_at.data:
                s.ends_at.errors.append("A shift must end after it starts.")
                ok = False
        return ok

    def to_input(self) -> EventInput:
        shifts = [ShiftInput(to_utc(e.form.starts_at.data), to_utc(e.form.ends_at.data), e.form.capacity.data)
                  for e in self.shifts if e.form.starts_at.data is not None]
        return EventInput(
            kind=self.kind.data, title=self.title.data or "", description=self.description.data or "",
            starts_at=to_utc(self.starts_at.data), ends_at=to_utc(self.ends_at.data),
            meeting_point=self.meeting_point.data or "", lat=self.lat.data, lon=self.lon.data,
            capacity=self.capacity.data, team_id=int(self.team_id.data) if self.team_id.data else None,
            host_id=int(self.host_id.data) if self.host_id.data else None, shifts=shifts,
            walk_list_ids=list(self.walk_list_ids.data or []), call_sheet_ids=list(self.call_sheet_ids.data or []))


class RsvpForm(FlaskForm):
    shift_id = SelectField("Shift", coerce=str, validate_choice=False)


class ButtonForm(FlaskForm):
    """A one-button form: only the CSRF token."""


class TrustedHostForm(FlaskForm):
    trusted = BooleanField("Trusted host")
