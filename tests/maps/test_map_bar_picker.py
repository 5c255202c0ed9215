"""The map bar past the pickers' threshold: a state's 1,000 wards are searched, not sent as
<option>s on every map page; what the search (or a person without JavaScript) sends is resolved."""
from __future__ import annotations

import html

import pytest

PICKERS = pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)


def test_a_small_campaign_keeps_the_select(client, auth, city):
    auth.login_as("organiser")
    text = client.get("/maps/").get_data(as_text=True)
    assert f'<option value="{city["ward"].id}"' in text and "data-picker-url" not in text


@PICKERS
@pytest.mark.parametrize("sent", ["ward:{id}", "{id}", "W9", "Ward W9", "ward w9 (whole ward)"])
def test_a_ward_searched_or_typed_is_shown(client, auth, city, sent):
    ward = city["ward"]
    auth.login_as("organiser")
    response = client.get("/maps/", query_string={"ward": sent.format(id=ward.id)})
    text = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200 and "<option" not in text
    assert 'data-picker-url="/organiser/pickers/areas"' in text and "organiser/picker.js" in text
    assert f'data-picker-value="ward:{ward.id}"' in text and 'value="Ward W9 (whole ward)"' in text
    assert "<h1>Ward W9</h1>" in text


@PICKERS
def test_a_neighbourhood_goes_to_its_own_map(client, auth, city):
    hood = city["hoods"][1]
    auth.login_as("organiser")
    for sent in (f"hood:{hood.id}", hood.code, "Ward W9 › W9 district 2"):  # the key, its code, its label
        response = client.get("/maps/", query_string={"ward": sent})
        assert response.status_code == 302 and response.location.endswith(f"/maps/neighbourhoods/{hood.id}")


@PICKERS
@pytest.mark.parametrize("sent, message", [("Atlantis", "is called “Atlantis”"), ("ward:999999", "is called “ward:999999”")])
def test_a_name_that_is_no_area_is_said(client, auth, city, sent, message):
    auth.login_as("organiser")
    response = client.get("/maps/", query_string={"ward": sent})
    assert response.status_code == 422 and message in html.unescape(response.get_data(as_text=True))


@PICKERS
def test_the_statewide_map_bar_searches_too(client, auth, city, monkeypatch):
    from app.maps import views

    monkeypatch.setattr(views, "CITY_MAP_DOORS", 6, raising=False)
    auth.login_as("organiser")
    text = client.get("/maps/city").get_data(as_text=True)
    assert "<option" not in text and 'id="lw-ward"' in text and 'data-picker-value=""' in text
