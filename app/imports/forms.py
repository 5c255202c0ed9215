"""Upload forms for the organiser's import page (Flask-WTF: CSRF on every post)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from .mapping import bundled_mappings

try:  # WTForms 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms.fields.choices import SelectChoice as _Choice
except ImportError:  # older WTForms
    def _Choice(value, label):
        return (value, label)

UPLOADED = "__upload__"
LEVELS = [_Choice("ward", "Wards"), _Choice("neighbourhood", "Neighbourhoods (polling districts / precincts)")]


class BoundaryUploadForm(FlaskForm):
    geojson = FileField("GeoJSON file", validators=[
        FileRequired("Choose a GeoJSON file."), FileAllowed(["geojson", "json"], "Upload a .geojson or .json file.")])
    level = SelectField("Level", choices=LEVELS)
    name_field = StringField("Name property", validators=[DataRequired("Say which property holds the name."),
                                                          Length(max=100)])
    code_field = StringField("Code property (optional; default: the name)", validators=[Optional(), Length(max=100)])
    parent_field = StringField("Parent ward code property (neighbourhoods; optional)",
                               validators=[Optional(), Length(max=100)])


class AddressUploadForm(FlaskForm):
    csv_file = FileField("Address or register CSV", validators=[
        FileRequired("Choose a CSV file."), FileAllowed(["csv", "txt"], "Upload a .csv file.")])
    mapping = SelectField("Mapping")
    mapping_file = FileField("Your own mapping (.toml)", validators=[FileAllowed(["toml"], "Upload a .toml mapping.")])
    postcodes_file = FileField("Postcode centroids (.csv; for files without coordinates)",
                               validators=[FileAllowed(["csv", "txt"], "Upload a .csv postcode file.")])
    skip_bad = BooleanField("Import the good rows even if some are bad")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mapping.choices = [_Choice(name, f"{name}.toml") for name in bundled_mappings()] + \
            [_Choice(UPLOADED, "Upload my own mapping")]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.mapping.data == UPLOADED and not self.mapping_file.data:
            self.mapping_file.errors = list(self.mapping_file.errors) + ["Choose a mapping file to upload."]
            ok = False
        return ok


class PostcodeUploadForm(FlaskForm):
    csv_file = FileField("Postcode centroids CSV (postcode, lat, lon)", validators=[
        FileRequired("Choose a CSV file."), FileAllowed(["csv", "txt"], "Upload a .csv file.")])
    skip_bad = BooleanField("Import the good rows even if some are bad")
