"""Shared by the map, dashboard and browser tests: write outcomes the real way, read map data back."""
from __future__ import annotations

import json
import re
import uuid
from datetime import datetime, timedelta

from app.config import settings
from app.contacts import Actor, record_contacts
from app.db import write_transaction
from app.models import Person, utcnow
from sqlmodel import select


def record(db, household, code, *, channel="door", user=None, walk_list=None, when: datetime | None = None,
           support: str | None = None, notes: str = ""):
    """One outcome through app.contacts.record_contacts (the only write path), committed."""
    event = {"id": str(uuid.uuid4()), "code": code, "household_id": household.id,
             "recorded_at": (when or utcnow() - timedelta(minutes=1)).isoformat(), "notes": notes}
    if walk_list is not None:
        event["walk_list_id"] = walk_list.id
    if support is not None:
        person_id = db.exec(select(Person.id).where(Person.household_id == household.id)).first()
        event["responses"] = [{"person_id": person_id, "support_level": support}]
    # As the app writes: a write transaction of its own (on SQLite, under the write lock and begun
    # IMMEDIATE), so a live server writing at the same moment queues it instead of failing it.
    statuses = write_transaction(db, lambda s: record_contacts(
        s, events=[event], actor=Actor(user_id=user.id if user else None), settings=settings(), channel=channel))
    assert statuses[0].status == "stored", statuses
    return event["id"]


def embedded_layers(html: str) -> dict[str, list]:
    """The JSON arguments of every LegworkMap.<builder>(...) call and data var on a map page."""
    decoder = json.JSONDecoder()
    data_vars = {}
    for match in re.finditer(r"var (lw_data_\w+) = ", html):
        data_vars[match.group(1)], _ = decoder.raw_decode(html, match.end())
    out: dict[str, list] = {}
    for match in re.finditer(r"LegworkMap\.(\w+)\(", html):
        pos, args = match.end(), []
        while html[pos] != ")":
            name = re.match(r"lw_data_\w+", html[pos:])
            if name:
                args.append(data_vars[name.group()])
                pos += name.end()
            else:
                value, pos = decoder.raw_decode(html, pos)
                args.append(value)
            if html[pos] == ",":
                pos += 2
        out.setdefault(match.group(1), []).append(args)
    return out


def door_rows(layer_args) -> list[dict]:
    """Decode a doorLayer call (parallel arrays) into one dict per door, as the popup shows it."""
    data, options = layer_args
    labels = [s["label"] for s in options["statuses"]]
    rows = []
    for i, address in enumerate(data["a"]):
        code = data["codes"][data["c"][i]] if data["c"][i] >= 0 else None
        rows.append({"address": address, "status": labels[data["s"][i]], "last": code and code[1],
                     "channel": code and code[0], "lon": data["x"][i] / 1e5, "lat": data["y"][i] / 1e5})
    return rows


def drawn_areas(client, layer_args) -> dict:
    """The areas a coverageLayer call draws, as legwork-map.js assembles them: GeoJSON given in the
    page as it is; the statewide map's shapes fetched from their address, each ward's figures
    (zero where the page has none) joined to its properties."""
    data = layer_args[0]
    if "shapes" not in data:
        return data
    response = client.get(data["shapes"])
    assert response.status_code == 200, response.status_code
    shapes = response.get_json()
    for feature in shapes["features"]:
        row = data["figures"].get(str(feature["properties"]["id"]), [])
        feature["properties"].update({name: row[i] if i < len(row) else 0 for i, name in enumerate(data["fields"])})
    return shapes
