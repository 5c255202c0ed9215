"""The draw-a-turf pages (issue 19): draw, preview, save through the forms; bad outlines and bodies
are a form error naming the problem (422), never a 500, and change nothing; a preview's signed form
cannot be altered; whole-city cuts from the cut form."""
from __future__ import annotations

import html
import json
import re

import pytest
import sqlalchemy as sa

from app.models import AuditEntry, WalkList, WalkListDoor
from tests.support.canvass import done

ELM0 = {"type": "Polygon", "coordinates": [[[-71.1192, 42.3698], [-71.1172, 42.3698], [-71.1172, 42.3702],
                                            [-71.1192, 42.3702], [-71.1192, 42.3698]]]}


def _preview(client, auth, polygon, url="/organiser/lists/draw/preview", **extra):
    token = auth.csrf_token("/organiser/lists/draw")
    body = polygon if isinstance(polygon, str) else json.dumps(polygon)
    return client.post(url, data={"csrf_token": token, "polygon": body, **extra})


def _lists(db) -> int:
    done(db)
    n = db.execute(sa.select(sa.func.count(WalkList.id))).scalar_one()
    done(db)
    return n


def test_draw_preview_and_save_through_the_pages(client, auth, db, area):
    ward, hoods, doors = area
    auth.login_as("organiser")
    page = client.get(f"/organiser/lists/draw?area=hood:{hoods[0].id}").get_data(as_text=True)
    assert 'id="draw-map"' in page and "leaflet-geoman.min.js" in page
    assert len(json.loads(html.unescape(re.search(r'data-map="([^"]+)"', page).group(1)))["doors"]) == 24
    preview = _preview(client, auth, ELM0)
    text = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 200 and "12 doors" in text and "minutes at the campaign's pace" in text
    signed = re.search(r'name="drawn" type="hidden" value="([^"]+)"', text) or re.search(
        r'id="drawn" name="drawn" type="hidden" value="([^"]+)"', text)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text).group(1)
    saved = client.post("/organiser/lists/draw/save", data={"csrf_token": token, "drawn": signed.group(1)})
    assert saved.status_code == 302
    walk_list = db.execute(sa.select(WalkList)).scalar_one()
    assert walk_list.door_count == 12
    done(db)
    # An altered preview is refused and changes nothing.
    forged = client.post("/organiser/lists/draw/save", data={"csrf_token": token, "drawn": signed.group(1)[:-3] + "abc"})
    assert forged.status_code == 422 and _lists(db) == 1
    redraw = client.get(f"/organiser/lists/{walk_list.id}/redraw").get_data(as_text=True)
    assert "Redraw the turf of" in redraw and '"this"' in html.unescape(redraw)


@pytest.mark.parametrize("body, message", [
    ("", "Draw the turf on the map first"),
    ("not json", "must be a GeoJSON Polygon, got &#39;str&#39;"),
    ("[" * 5000 + "]" * 5000, "must be a GeoJSON Polygon"),
    ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 1e999], [1, 0], [0, 0]]]}', "latitude must be a number"),
    ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}', "crosses itself"),
    ('{"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [0, 0]]]}', "at least 3 corners"),
    ('{"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}', "no doors with a location inside"),
    ("x" * 60_001, "The outline is too long"),
])
def test_bad_outlines_are_a_form_error_and_change_nothing(client, auth, db, area, body, message):
    auth.login_as("organiser")
    response = _preview(client, auth, body)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _lists(db) == 0


def test_redrawing_an_unknown_or_huge_list_id_is_404(client, auth, db, area):
    auth.login_as("organiser")
    assert client.get("/organiser/lists/999999/redraw").status_code == 404
    assert client.get(f"/organiser/lists/{2 ** 70}/redraw").status_code == 404
    assert _preview(client, auth, ELM0, url=f"/organiser/lists/{2 ** 70}/redraw/preview").status_code == 404


def test_the_cut_form_cuts_the_whole_city_from_a_universe(client, auth, db, area, settings_universe):
    ward, hoods, doors = area
    universe = settings_universe({"kind": "neighbourhood", "ids": [hoods[1].id]})
    auth.login_as("organiser")
    assert "Whole city (from a universe)" in client.get("/organiser/lists").get_data(as_text=True)
    token = auth.csrf_token("/organiser/lists")
    nothing = client.post("/organiser/lists/preview", data={"csrf_token": token, "area": "city", "target_size": "12"})
    assert nothing.status_code == 422 and "Choose a universe to cut the whole city" in nothing.get_data(as_text=True)
    preview = client.post("/organiser/lists/preview", data={"csrf_token": token, "area": "city", "target_size": "12",
                                                            "universe": str(universe)})
    text = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 200 and "Proposed lists for Whole city: Hood 1" in text and "2 lists, 24 doors" in text
    signed = re.search(r'name="proposal" type="hidden" value="([^"]+)"', text).group(1)
    assert client.post("/organiser/lists/save", data={"csrf_token": token, "proposal": signed}).status_code == 302
    done(db)
    saved = db.execute(sa.select(WalkList).order_by(WalkList.name)).scalars().all()
    assert [(w.name, w.ward_id, w.neighbourhood_id) for w in saved] == [("Ward 9 · 1", ward.id, hoods[1].id),
                                                                         ("Ward 9 · 2", ward.id, hoods[1].id)]
    assert db.execute(sa.select(sa.func.count(WalkListDoor.id))).scalar_one() == 24
    assert db.execute(sa.select(AuditEntry).where(AuditEntry.action == "lists.save")).scalars().first()
