"""Posting files to the organiser's import page, as the form does (a real CSRF token, multipart)."""
from __future__ import annotations

import csv
import io
import json

CAMBRIDGE_STYLE = "address_id,house_number,suffix,street,parcel_id,building_id,lon,lat\n"


def upload(data: bytes | str, name: str):
    return (io.BytesIO(data.encode() if isinstance(data, str) else data), name)


def post_boundaries(client, auth, data, **fields):
    form = {"csrf_token": auth.csrf_token("/organiser/imports"), "b-level": "ward", "b-name_field": "name",
            "b-code_field": "code", "b-geojson": upload(json.dumps(data), "wards.geojson")}
    form.update({f"b-{k}": v for k, v in fields.items()})
    return client.post("/organiser/imports/boundaries", data=form, content_type="multipart/form-data")


def post_addresses(client, auth, csv_text, **fields):
    form = {"csrf_token": auth.csrf_token("/organiser/imports"), "a-mapping": "cambridge",
            "a-csv_file": upload(csv_text, "addresses.csv")}
    form.update({f"a-{k}": v for k, v in fields.items()})
    return client.post("/organiser/imports/addresses", data=form, content_type="multipart/form-data")


def post_postcodes(client, auth, csv_text, **fields):
    form = {"csrf_token": auth.csrf_token("/organiser/imports"), "p-csv_file": upload(csv_text, "postcodes.csv")}
    form.update({f"p-{k}": v for k, v in fields.items()})
    return client.post("/organiser/imports/postcodes", data=form, content_type="multipart/form-data")


def csv_text(rows: list[dict], header: list[str]) -> io.StringIO:
    """Rows as an open CSV file (what the importers read), headed by ``header``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    writer.writerows(rows)
    return io.StringIO(out.getvalue())
