"""Printable walk sheets: route order, odd and even sides grouped, tick boxes, QR code, DNC warnings."""
import re

from app.config import settings
from tests.support.maps import record


def test_walk_sheet_groups_sides_in_route_order(client, auth, db, make_ward, make_household, make_walk_list):
    ward = make_ward()
    route = [("1", "Elm St"), ("3", "Elm St"), ("2", "Elm St"), ("5", "Elm St"), ("7", "Oak Ave"), ("4", "Elm St")]
    homes = [make_household(ward, house_number=n, street=s) for n, s in route]
    walk = make_walk_list(homes, name="Elm loop", ward=ward)
    record(db, homes[1], "do_not_contact")
    record(db, homes[3], "not_home", walk_list=walk)
    auth.login_as("organiser")
    response = client.get(f"/organiser/walk-sheets/{walk.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    headings = re.findall(r"<h2>([^<]+?) <small>", html)
    assert headings == ["Elm St — Odd side", "Elm St — Even side", "Oak Ave — Odd side"]
    order = [int(n) for n in re.findall(r'<td class="pos">(\d+)</td>', html)]
    assert order == [1, 2, 4, 3, 6, 5]     # route positions, each side's doors kept together
    codes = settings().door_outcomes   # the canvass answers, not polling day's knock-up ones
    header_cols = re.findall(r'<th class="tick-col"><span>([^<]+)</span>', html.split("</thead>")[0])
    assert header_cols == [c.label for c in codes] and "Needs a lift" not in header_cols
    dnc_row = re.search(rf'<tr class="dnc" data-household="{homes[1].id}">(.*?)</tr>', html, re.S).group(1)
    assert "Do not knock" in dnc_row and 'class="box" aria-label' not in dnc_row
    normal = re.search(rf'<tr class="" data-household="{homes[0].id}">(.*?)</tr>', html, re.S).group(1)
    assert normal.count('class="box" aria-label') == len(codes)
    assert "last: Not home" in html
    assert "<svg" in html and f"/canvass/lists/{walk.id}" in html
    assert "walk-sheet.css" in html


def test_unknown_list_is_404(client, auth):
    auth.login_as("organiser")
    response = client.get("/organiser/walk-sheets/4242")
    assert response.status_code == 404 and "no such walk list" in response.get_data(as_text=True)
