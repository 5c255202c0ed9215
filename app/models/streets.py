from typing import Optional

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class StreetLineRow(SQLModel, table=True):
    """One piece of street centre-line (app.streets imports them): routes are walked along these.

    The box (min/max lon/lat, degrees) is indexed so that routing a list reads only the lines near
    its doors."""

    __tablename__ = "street_lines"

    id: Optional[int] = Field(default=None, primary_key=True)
    ref: str = Field(max_length=100)  # the line's id in its file
    name: str = Field(default="", max_length=200)
    kind: str = Field(default="", max_length=40)  # road class (OSM highway), "" when unknown
    coords: str = Field(sa_column=sa.Column(sa.Text, nullable=False))  # JSON [[lon, lat], ...], EPSG:4326
    min_lon: float = Field(index=True)
    max_lon: float = Field(index=True)
    min_lat: float = Field(index=True)
    max_lat: float = Field(index=True)
