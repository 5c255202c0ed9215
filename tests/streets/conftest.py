"""Street-network fixtures: GeoJSON writers and a small network of lines."""
from __future__ import annotations

import json

import pytest


def feature(coords, props=None, kind="LineString"):
    return {"type": "Feature", "properties": props if props is not None else {},
            "geometry": {"type": kind, "coordinates": coords}}


def collection(*features):
    return {"type": "FeatureCollection", "features": list(features)}


@pytest.fixture
def write_json(tmp_path):
    def write(data, name: str = "streets.geojson"):
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return path

    return write
