"""Every page a volunteer or an organiser uses, on a 360x780 phone: axe-core finds no serious or
critical accessibility violation (labels, contrast, landmarks, names), and nothing is wider than
the screen (a wide table scrolls in its own box; the page does not). PAGES is the one list of the
pages checked: a new page goes in it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db import write_transaction
from app.models import Household, TeamArea, TeamSelfServe, User, WalkList, WalkListDoor
from app.walk_lists import assign
from tests.browser.conftest import PHONE
from tests.browser.helpers import BLANK_PNG, TIMEOUT_MS, sign_in
from tests.support.env import ROOT
from tests.support.maps import record
from tests.support.world import build_world

pytestmark = pytest.mark.browser
# scripts/test installs axe-core into .tools with ESLint's tools; LEGWORK_AXE_JS points elsewhere.
AXE_JS = Path(os.environ.get("LEGWORK_AXE_JS", ROOT / ".tools" / "node_modules" / "axe-core" / "axe.min.js"))

# (who signs in, the page, what shows once it is ready). Ids come from the access matrix's world.
PAGES = [
    ("anonymous", "/login", None),
    ("anonymous", "/get-involved", None),
    ("anonymous", "/get-involved/sign-up", None),
    ("anonymous", "/get-involved/sign-in", None),
    ("anonymous", "/canvass/join", None),
    ("anonymous", "/events/{event_id}", None),
    ("canvasser", "/canvass/", None),
    ("canvasser", "/canvass/lists/{walk_list_id}", "#doors[data-ready='yes']"),
    ("canvasser", "/canvass/lists/{walk_list_id}#record-{household_id}", "dialog.sheet[open]"),  # the door's sheet
    ("canvasser", "/canvass/lists/{walk_list_id}/map", "#list-map[data-ready='yes']"),
    ("canvasser", "/me", None),
    ("volunteer", "/me/recruit", None),
    ("canvasser", "/account", None),
    ("canvasser", "/training", None),
    ("canvasser", "/training/{slug}", None),
    ("canvasser", "/events/{event_id}", None),
    ("caller", "/phonebank/", None),
    ("caller", "/phonebank/call/{attempt_id}", None),
    ("teller", "/polling-day/teller", None),
    ("teller", "/polling-day/teller/{station_id}", "#teller[data-electors='ready']"),
    ("driver", "/polling-day/lifts", None),
    ("committee", "/polling-day/rooms", None),
    ("committee", "/polling-day/rooms/{room_id}", None),
    ("committee", "/polling-day/rooms/{room_id}/postal", None),
    ("committee", "/polling-day/rooms/{room_id}/rounds/1/sheets", None),
    ("committee", "/polling-day/sheets", None),
    ("committee", "/polling-day/chase", None),
    ("lead", "/organiser/", None),
    ("lead", "/organiser/lists", None),
    ("lead", "/teams", None),
    ("lead", "/recruiting", None),
    ("volunteer", "/events/manage", None),
    ("volunteer", "/me/people", None),
    ("volunteer", "/me/people/talk", None),
    ("volunteer", "/me/people/{entry_id}/edit", None),
    ("volunteer", "/nearme", None),
    ("volunteer", "/nearme/offer?minutes=30&km=2&lat=42.37&lon=-71.11", "#take-form"),
    ("lead", "/nearme/teams/{team_id}", None),
    ("organiser", "/organiser/", None),
    ("organiser", "/organiser/lists", None),
    ("organiser", "/organiser/lists/{walk_list_id}", None),
    ("organiser", "/organiser/lists/draw", "#draw-map[data-ready='yes']"),
    ("organiser", "/organiser/lists/{walk_list_id}/redraw", "#draw-map[data-ready='yes']"),
    ("lead", "/organiser/lists/draw", "#draw-map[data-ready='yes']"),
    ("organiser", "/organiser/walk-sheets/{walk_list_id}", None),
    ("organiser", "/organiser/volunteers", None),
    ("organiser", "/organiser/dashboard", None),
    ("organiser", "/organiser/dashboard?ward={ward_id}&period=all", None),  # a ward's own view
    ("lead", "/organiser/dashboard?ward={ward_id}", None),
    ("organiser", "/organiser/people-you-know", None),
    ("organiser", "/organiser/audit", None),
    ("organiser", "/organiser/follow-ups", None),
    ("organiser", "/organiser/field-fixes", None),
    ("lead", "/organiser/follow-ups", None),
    ("organiser", "/organiser/do-not-contact", None),
    ("organiser", "/organiser/imports", None),
    ("organiser", "/maps/", None),
    ("organiser", "/maps/city", None),
    ("organiser", "/maps/lists/{walk_list_id}", None),
    ("organiser", "/maps/neighbourhoods/{neighbourhood_id}", None),
    ("organiser", "/teams", None),
    ("organiser", "/teams/{team_id}", None),
    ("organiser", "/recruiting", None),
    ("organiser", "/recruiting/message", None),
    ("organiser", "/events/manage", None),
    ("organiser", "/events/new", None),
    ("organiser", "/events/{event_id}/admin", None),
    ("organiser", "/events/{event_id}/edit", None),
    ("organiser", "/training/new", None),
    ("organiser", "/training/{slug}/edit", None),
    ("organiser", "/phonebank/sheets", None),
    ("organiser", "/phonebank/sheets/{sheet_id}", None),
    ("organiser", "/organiser/survey/", None),
    ("organiser", "/organiser/survey/questions/new", None),
    ("organiser", "/organiser/survey/questions/{question_id}", None),
    ("organiser", "/organiser/survey/scale", None),
    ("organiser", "/organiser/survey/surveys/new", None),
    ("organiser", "/organiser/survey/surveys/{survey_id}", None),
    ("organiser", "/polling-day/elections/{election_id}/turnout", None),
]

# The pages used out of doors (and at arm's length on a phone): held to 7:1 text contrast (WCAG AAA),
# readable in sunlight, on top of the 4.5:1 every page has.
SUNLIGHT = ("/canvass/", "/phonebank/call/", "/polling-day/teller", "/polling-day/lifts")

# axe-core over the page as it stands: the serious and critical violations, each with where.
RUN_AXE = """async sunlight => {
  const rules = sunlight ? { "color-contrast-enhanced": { enabled: true } } : {};
  const result = await axe.run(document, { resultTypes: ["violations"], rules });
  return result.violations.filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(", "));
}"""
# How wide the page is laid out, and what sticks out past the screen's edge. (Not innerWidth: a phone
# browser zooms out to fit a page too wide for it, and innerWidth grows to match.)
WIDER = """screen => [document.documentElement.scrollWidth,
  [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > screen + 1
     && !e.closest('.table-wrap, .scroll, .leaflet-container') && getComputedStyle(e).position !== 'fixed')
   .slice(0, 5).map(e => e.tagName + '.' + e.className)]"""


@pytest.fixture
def world(app, db, make_ward, make_household, make_user, make_walk_list, make_team):
    """The access matrix's small campaign, and who signs in as whom (emails by principal)."""
    built = build_world(app, db, make_ward=make_ward, make_household=make_household, make_user=make_user,
                        make_walk_list=make_walk_list, make_team=make_team)
    ids = dict(built.ids, household_id=db.execute(sa.select(WalkListDoor.household_id).where(
        WalkListDoor.walk_list_id == built.ids["walk_list_id"])).scalar_one())
    # Field data as long as a real campaign's, the kind that pushed a table 696 px wide: a volunteer
    # with a long name and address at work on a long-named list.
    walk_list = db.get(WalkList, ids["walk_list_id"])
    walk_list.name = "Ward 9 · Cambridgeport riverside · 14"
    db.commit()
    worker = make_user(roles="canvasser", name="Alexandra Featherstonehaugh-Whittingham",
                       email="alexandra.featherstonehaugh-whittingham@volunteers.example.org")
    write_transaction(db, lambda s: assign(s, walk_list_id=walk_list.id, user_ids=[worker.id], assigned_by_id=None))
    record(db, db.get(Household, ids["household_id"]), "spoke", user=worker, walk_list=walk_list, support="1",
           notes="Asked about the new bus lane on Massachusetts Avenue")
    emails = {}
    for user in db.execute(sa.select(User).order_by(User.id)).scalars():
        emails.setdefault(user.roles, user.email)
    # The world's volunteers: the first is the team's member, the second its lead.
    volunteers = db.execute(sa.select(User.email).where(User.roles == "volunteer").order_by(User.id)).scalars().all()
    emails.update(volunteer=volunteers[0], lead=volunteers[1])
    # Canvass near me: the team's ward is self-serve, so its member is offered the free door there.
    ward_id = db.execute(sa.select(TeamArea.ward_id).where(TeamArea.team_id == ids["team_id"])).scalar_one()
    db.add(TeamSelfServe(team_id=ids["team_id"], enabled=True, areas=f"ward:{ward_id}", return_minutes=45))
    db.commit()
    return dict(ids, ward_id=ward_id), emails


@pytest.mark.parametrize("who, path, ready", PAGES, ids=[f"{w} {p}" for w, p, _ in PAGES])
def test_page_is_accessible_and_fits_a_phone(live_server, _playwright_browser, app, world, who, path, ready):
    if not AXE_JS.is_file():
        reason = f"axe-core not found at {AXE_JS} (scripts/test installs it)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    ids, emails = world
    # bypass_csp: axe is added as an inline script, which the pages' CSP (rightly) refuses.
    context = _playwright_browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                              bypass_csp=True)
    tiles = app.config["MAPS"]["tile_url"].split("{", 1)[0] + "**"  # no internet here: blank tiles
    context.route(tiles, lambda r: r.fulfill(status=200, content_type="image/png", body=BLANK_PNG))
    try:
        page = context.new_page()
        if who != "anonymous":
            sign_in(page, live_server.url, emails[who])
        response = page.goto(live_server.url + path.format(**ids))
        assert response.status == 200, f"{path}: {response.status}"
        if ready:
            page.wait_for_selector(ready, timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(RUN_AXE, path.startswith(SUNLIGHT))
        assert not violations, "\n".join(violations)
        width, wider = page.evaluate(WIDER, PHONE["width"])
        assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px screen: {wider}"
    finally:
        context.close()


# The searchable pickers (organiser/picker.js), shown past PICKER_MIN areas or volunteers: checked
# with their options open, then chosen from the keyboard (the hidden field takes the option's value).
PICKER_PAGES = [("/organiser/lists", "#area", "district", "hood:"), ("/organiser/lists/draw", "#area", "district", "hood:"),
                ("/organiser/follow-ups", "#f-area", "district", "hood:"),
                ("/maps/", "#lw-ward", "district", "hood:"),
                ("/organiser/lists/{walk_list_id}", "#user_ids", "example", ""),
                ("/polling-day/chase", "#c-area", "district", "hood:"),
                ("/organiser/dashboard", "#d-ward", "ward", "")]  # the ward menu: a ward's id


@pytest.mark.parametrize("app", [{"PICKER_MIN": 1}], indirect=True)
@pytest.mark.parametrize("path, field, typed, value", PICKER_PAGES, ids=[p for p, *_ in PICKER_PAGES])
def test_an_open_picker_is_accessible_and_picks_from_the_keyboard(live_server, _playwright_browser, app, world,
                                                                  path, field, typed, value):
    if not AXE_JS.is_file():
        (pytest.fail if os.environ.get("CI") else pytest.skip)(f"axe-core not found at {AXE_JS} (scripts/test installs it)")
    ids, emails = world
    context = _playwright_browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, emails["organiser"])
        page.goto(live_server.url + path.format(**ids))
        page.fill(field, typed)
        page.wait_for_selector(f"{field}[aria-expanded='true']", timeout=TIMEOUT_MS)
        page.add_script_tag(path=str(AXE_JS))
        violations = page.evaluate(RUN_AXE, False)
        assert not violations, "\n".join(violations)
        page.press(field, "ArrowDown")
        active = page.get_attribute(field, "aria-activedescendant")
        assert active and page.get_attribute(f"#{active}", "aria-selected") == "true"
        page.press(field, "Enter")
        assert page.get_attribute(field, "aria-expanded") == "false"
        hidden = page.eval_on_selector(field, "input => input.nextElementSibling.value")
        assert hidden.startswith(value) and hidden != typed
    finally:
        context.close()
