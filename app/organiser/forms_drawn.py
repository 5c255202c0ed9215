"""The draw-a-turf forms: the outline drawn on the map travels as GeoJSON text in a hidden field
(walklists.parse_polygon has the last word on it; the length cap keeps a pasted body small)."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, Length

MAX_POLYGON_CHARS = 60_000  # 500 corners at full precision is about 25,000


class DrawForm(FlaskForm):
    polygon = HiddenField("Turf outline", validators=[
        DataRequired(message="Draw the turf on the map first: click its corners, then click the first one again."),
        Length(max=MAX_POLYGON_CHARS, message=f"The outline is too long (at most {MAX_POLYGON_CHARS} characters): "
                                              "draw it with fewer corners.")])
    # Choices per request (app.universes.queries.choices): "" is everyone inside the outline.
    universe = SelectField("Only doors with someone in this universe (optional)", default="", validate_choice=True)


class DrawAreaForm(FlaskForm):
    """Which area's doors the map shows: a GET form, so it changes nothing."""

    class Meta:
        csrf = False

    area = SelectField("Area to show")


class DrawSaveForm(FlaskForm):
    drawn = HiddenField(validators=[DataRequired()])
