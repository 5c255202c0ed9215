"""The draw-a-turf page at state size: past PICKER_MIN areas the area is searched, not offered as
6,000 <option>s; what was typed is resolved (or said, with the first ward shown); the map marks only
the area's doors other lists hold."""
from __future__ import annotations

import html
import json
import re

import pytest

from tests.support.canvass import done

PICKERS = pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)


def _page(client, query=""):
    response = client.get(f"/organiser/lists/draw{query}")
    raw = response.get_data(as_text=True)
    doors = json.loads(html.unescape(re.search(r'data-map="([^"]+)"', raw).group(1)))["doors"]
    return response.status_code, html.unescape(raw), doors


@PICKERS
def test_the_area_is_searched_and_the_first_ward_shown(client, auth, area):
    ward, hoods, _ = area
    auth.login_as("organiser")
    status, text, doors = _page(client)
    assert status == 200 and 'data-picker-url="/organiser/pickers/areas"' in text and "<option" not in text
    assert 'value="Ward 9 (whole ward)"' in text and f'data-picker-value="ward:{ward.id}"' in text and len(doors) == 48
    status, text, doors = _page(client, f"?area=hood:{hoods[0].id}")
    assert status == 200 and len(doors) == 24 and f'value="Ward 9 › {hoods[0].name}"' in text
    status, text, doors = _page(client, f"?area=Ward+9+›+{hoods[1].name}")  # typed as the search shows it
    assert status == 200 and f'data-picker-value="hood:{hoods[1].id}"' in text


@PICKERS
@pytest.mark.parametrize("typed, message", [("Atlantis", "is called “Atlantis”"), ("whole city", "is not one area")])
def test_an_area_that_is_not_one_is_said_and_the_first_ward_shown(client, auth, area, typed, message):
    auth.login_as("organiser")
    status, text, doors = _page(client, f"?area={typed}")
    assert status == 422 and message in text and f'value="{typed}"' in text and 'aria-invalid="true"' in text
    assert "Showing Ward 9 (whole ward)." in text and len(doors) == 48


def test_the_map_marks_the_doors_other_lists_hold_in_the_area(client, auth, db, area, make_walk_list):
    _, hoods, doors = area
    make_walk_list(doors[:3])  # in the first neighbourhood
    done(db)
    auth.login_as("organiser")
    states = [state for _, _, state in _page(client, f"?area=hood:{hoods[0].id}")[2]]
    assert states.count("taken") == 3 and states.count("free") == 21
    assert {state for _, _, state in _page(client, f"?area=hood:{hoods[1].id}")[2]} == {"free"}
