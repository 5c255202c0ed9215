"""Every route, found from app.url_map, against every kind of principal.

A route missing from POLICY fails the test, so a new route cannot ship without a decision
about who may use it. Allowed principals get 200 or 302 (a POST with an empty form may also
get the form's own 400/409/422); everyone else gets 401, 403 or 404 (anonymous page requests:
a redirect to sign in), and a refused POST changes no row in any table.
"""
from __future__ import annotations

import os

import pytest

from app import create_app
from tests.support.web import csrf_token_from
from tests.support.world import PRINCIPALS, build_world, row_counts

EVERYONE = set(PRINCIPALS)
SIGNED_IN = EVERYONE - {"anonymous"}
ORGANISER = {"organiser"}
FIELD = {"pin", "canvasser", "organiser"}          # walk-list pages
CALLER = {"caller"}
ACCOUNT = SIGNED_IN - {"pin"}                      # anyone with a User row (training is recorded on it)
# Team leads: LEADS may open the page (each sees their own areas' things on it); LEAD only the
# lead of the team covering the world's ward, where its list, sheet and neighbourhood are.
LEAD = {"lead", "organiser"}
LEADS = {"lead", "other_lead", "organiser"}

# endpoint -> who may use it. "twilio": only Twilio's signed requests (nobody here signs; with
# no Twilio settings, as here, the webhooks do not exist: 404; tests/phonebank check the 403).
# "invite": the token decides (the world's token is bogus, so 404 for everyone).
POLICY: dict[str, set[str] | str] = {
    "static": EVERYONE,
    "home.index": EVERYONE,
    "home.favicon": EVERYONE,
    "auth.login": EVERYONE,
    "auth.logout": SIGNED_IN,
    "auth.account": SIGNED_IN,            # a PIN joiner sees which list they are in
    "auth.change_password": SIGNED_IN,    # a PIN joiner is told they have no password
    "auth.sign_out_everywhere": SIGNED_IN,  # a PIN joiner is sent back to the account page
    "auth.accept_invite": "invite",
    "canvass.join": EVERYONE,
    "canvass.service_worker": EVERYONE,
    "canvass.my_lists": FIELD | {"knocker"},   # a knocker's knock-up lists (the world's knocker holds none)
    "canvass.list_page": FIELD,
    "canvass.list_map": FIELD,
    "api.get_lists": {"pin", "canvasser", "knocker", "organiser"},
    "api.get_list": FIELD,
    "api.get_list_voted": FIELD,
    "api.post_outcomes": {"pin", "canvasser", "knocker", "organiser"},
    # Polling day: an empty form body is a 422 for those allowed; nothing is stored either way.
    "api.post_tellings": {"teller", "organiser"},
    "api.get_station_electors": {"teller", "organiser"},
    "pollingday.choose_station": {"teller", "organiser"},
    "pollingday.teller": {"teller", "organiser"},
    "pollingday.service_worker": EVERYONE,
    # Knock-up: committee rooms run the rounds; a sheet's QR token decides who takes a list.
    "pollingday.start_round": {"committee", "organiser"},
    "pollingday.round_sheets": {"committee", "organiser"},
    "pollingday.all_sheets": {"committee", "organiser"},
    "pollingday.knock_join": "invite",
    # Organisers may phone-bank and may look at any call; only its caller records its outcome.
    "phonebank.index": CALLER | ORGANISER,
    "phonebank.next_call": CALLER | ORGANISER,
    "phonebank.call": CALLER | ORGANISER,
    "phonebank.bridge": CALLER,
    "phonebank.disposition": CALLER,
    "phonebank.skip": CALLER,
    "phonebank.twiml": "twilio",
    "phonebank.call_status": "twilio",
    "phonebank.sheets": LEADS,
    "phonebank.make_sheets": LEADS,
    "phonebank.sheet": LEAD,
    "phonebank.enqueue": LEAD,
    "maps.overview": LEADS,               # a lead picks among their own wards
    "maps.city": ORGANISER,               # every door of the city: not restricted for leads, so refused
    "maps.city_wards": ORGANISER,         # the statewide map's ward shapes, as the map
    "maps.walk_list": LEAD,
    "maps.neighbourhood": LEAD,
    "teams.index": LEADS,                 # a lead sees the teams they lead
    "teams.show": LEAD,
    "teams.create": ORGANISER,
    "teams.update": ORGANISER,
    "teams.delete": ORGANISER,
    "teams.set_areas": ORGANISER,
    "teams.add_member": ORGANISER,
    "teams.remove_member": ORGANISER,
    "teams.set_lead": ORGANISER,
    # The public way in: no account needed, and nothing on these pages is voter data.
    "volunteers.get_involved": EVERYONE,
    "volunteers.signup": EVERYONE,
    "volunteers.sign_in_link": EVERYONE,
    "volunteers.confirm": "invite",       # the emailed token decides (the world's is bogus: 404)
    # Anyone with an account; a PIN joiner has none.
    "volunteers.home": SIGNED_IN - {"pin"},
    "volunteers.join_team": SIGNED_IN - {"pin"},
    "volunteers.leave_team": SIGNED_IN - {"pin"},   # the lead is refused with a reason (409)
    "recruiting.mine": ACCOUNT,            # "my 10": one's own link, code and recruits
    "recruiting.qr": ACCOUNT,
    "recruiting.new_code": ACCOUNT,
    "recruiting.claim": ACCOUNT,           # "who invited me", typed on another device
    "recruiting.welcome": ACCOUNT,         # only one's own recruits (404 otherwise)
    "recruiting.chains": LEADS,            # a lead sees their teams' volunteers only
    "recruiting.edit_message": ORGANISER,
    "training.index": ACCOUNT,
    "training.module": ACCOUNT,      # read it; POST: the world's module has a quiz, so an empty POST is a 422
    "training.new": ORGANISER,
    "training.edit": ORGANISER,
    "training.delete": ORGANISER,
    # Polling day. Lifts: drivers take them (release and done: the holder only; the world's
    # driver holds nothing, so 409); committee-room staff and organisers run the queue.
    "pollingday.lifts": {"driver", "committee", "organiser"},
    "pollingday.request_lift": {"committee", "organiser"},   # an empty form: 422
    "pollingday.claim_lift": {"driver"},
    "pollingday.release_lift": {"driver"},
    "pollingday.finish_lift": {"driver"},
    "pollingday.cancel_lift": {"committee", "organiser"},     # the organiser, after committee: 409
    "pollingday.rooms": {"committee", "organiser"},
    "pollingday.room": {"committee", "organiser"},
    "pollingday.room_live": {"committee", "organiser"},
    "pollingday.room_postal": {"committee", "organiser"},
    # The US ballot chase: committee rooms and organisers everywhere, team leads in their areas
    # (the other lead's area has nobody to chase: an empty list). Turnout: organisers only.
    "pollingday.chase": {"committee", "lead", "other_lead", "organiser"},
    "pollingday.chase_csv": {"committee", "lead", "other_lead", "organiser"},
    "pollingday.chase_areas": {"committee", "lead", "other_lead", "organiser"},  # the area picker's search
    "pollingday.chase_counts": {"committee", "organiser"},  # the statewide table: leads count their areas live
    "pollingday.turnout": ORGANISER,
    "pollingday.start_phone_knockup": {"committee", "organiser"},  # nobody left to ring: back to the room (302)
    # Set-up: committee-room staff may read the overview (stations, rooms, hours: no voter data),
    # only organisers change it. The edit forms' empty POSTs are 422s; the wipe's unticked box too.
    "pollingday.setup": {"committee", "organiser"},
    "pollingday.new_election": ORGANISER,
    "pollingday.edit_election": ORGANISER,
    "pollingday.wipe_election": ORGANISER,
    "pollingday.new_station": ORGANISER,
    "pollingday.edit_station": ORGANISER,
    "pollingday.new_room": ORGANISER,
    "pollingday.edit_room": ORGANISER,
    # Universes: organisers build them; team leads see them and count them inside their own areas
    # (and cut lists and make sheets from them there). GET count with no universe: everyone.
    "universes.index": LEADS,
    "universes.show": LEADS,
    "universes.count": LEADS,             # POST with an empty form (not JSON): 422
    "universes.new": ORGANISER,
    "universes.create": ORGANISER,        # an empty form counts (200); nothing is saved
    "universes.update": ORGANISER,
    "universes.delete": ORGANISER,
    # Surveys: questions, scale, scripts and which survey a list or sheet asks: organisers only
    # (a team lead sees the chosen survey on a list's page, and cannot change it).
    "surveys.index": ORGANISER,
    "surveys.new_question": ORGANISER,    # POST with an empty form: 422, nothing saved
    "surveys.edit_question": ORGANISER,
    "surveys.retire_question": ORGANISER,
    "surveys.move_question": ORGANISER,
    "surveys.scale": ORGANISER,
    "surveys.save_scale": ORGANISER,
    "surveys.new_survey": ORGANISER,
    "surveys.edit_survey": ORGANISER,
    "surveys.choose_for_list": ORGANISER,
    "surveys.choose_for_sheet": ORGANISER,
    # At the door: the follow-up queue is worked by organisers and by team leads in their areas
    # (the world's follow-up is in the lead's ward); its CSV export and the fixes' review are
    # the organiser's (a revert changes the register's people).
    "followups.queue": LEADS,
    "followups.claim": LEAD,
    "followups.release": LEAD,
    "followups.done": LEAD,
    "followups.export": ORGANISER,
    "fixes.review": ORGANISER,
    "fixes.accept": ORGANISER,
    "fixes.revert": ORGANISER,
}
# Events: anyone reads an approved event; RSVP and check-in need an account (a stranger is sent
# to the sign-up, a 302 that is not a sign-in redirect; a PIN joiner is refused). The admin pages:
# organisers, the event team's lead, and its host (the world's host is the lead). "invite": the
# reminder opt-out link's token decides (the world's is bogus: 404 for everyone).
EVENT_RUNNERS = {"lead", "organiser"}
POLICY.update({
    "events.show": EVERYONE,
    "events.ics": EVERYONE,
    "events.rsvp": EVERYONE - {"pin"},
    "events.cancel": EVERYONE - {"pin"},
    "events.checkin": EVERYONE - {"pin"},
    "events.stop_reminders": "invite",
    "events.manage": {"volunteer", "other_lead", "lead", "organiser"},
    "events.new": {"volunteer", "other_lead", "lead", "organiser"},
    "events.edit": EVENT_RUNNERS,
    "events.admin": EVENT_RUNNERS,
    "events.approve": EVENT_RUNNERS,
    "events.decline": EVENT_RUNNERS,
    "events.cancel_event": EVENT_RUNNERS,
    "events.tick": EVENT_RUNNERS,
    "events.attendance": EVENT_RUNNERS,
    "events.thank": EVENT_RUNNERS,
    "events.trusted_host": ORGANISER,     # the world's user_id (a canvasser) is in no team the lead leads
})
for _endpoint in ("imports", "imports_addresses", "imports_boundaries", "imports_postcodes", "imports_ballot_status",
                  "deactivate_volunteer", "reactivate_volunteer", "set_volunteer_roles", "invite_volunteer",
                  "audit_log", "ledger"):
    POLICY[f"organiser.{_endpoint}"] = ORGANISER
# A lead's pages show only their teams' lists and members; the world's list is in "lead"'s area only.
# The exports: a lead's hold only households in their areas; export_outcomes is the contacts export's old address.
for _endpoint in ("index", "lists", "lists_preview", "lists_save", "volunteers", "dashboard", "export_outcomes",
                  "export_contacts", "export_people"):
    POLICY[f"organiser.{_endpoint}"] = LEADS
for _endpoint in ("list_detail", "list_assign", "list_pin_create", "list_pin_revoke", "list_release",
                  "list_unassign", "walk_sheet"):
    POLICY[f"organiser.{_endpoint}"] = LEAD


POLICY["organiser.list_rename"] = LEAD  # issue 19: a list's name, like its other settings
# Issue 22: the pickers' searches: areas inside the asker's scope; the volunteers a list may be given.
POLICY["organiser.picker_areas"] = LEADS
POLICY["organiser.picker_volunteers"] = LEAD
POLICY["universes.choice_search"] = ORGANISER  # the universe builder's searches (the builder is theirs)
# Issue 19: draw a new turf (a lead inside their areas: the page offers only those), redraw a list's.
for _endpoint in ("list_draw", "list_draw_preview", "list_draw_save"):
    POLICY[f"organiser.{_endpoint}"] = LEADS
for _endpoint in ("list_redraw", "list_redraw_preview"):
    POLICY[f"organiser.{_endpoint}"] = LEAD
# People you know: anyone with an account keeps their own list (an empty add form: 422); an entry
# is its owner's alone (the world's is the volunteer's): 404 for everyone else. Organisers and
# team leads see counts by team, never the lists.
POLICY.update({
    "relational.people": ACCOUNT, "relational.add": ACCOUNT, "relational.talk": ACCOUNT,
    "relational.edit": {"volunteer"}, "relational.delete": {"volunteer"}, "relational.answer": {"volunteer"},
    "relational.record": {"volunteer"},   # an empty form (no event id): 422, nothing stored
    "relational.team_report": LEADS,
})
# Canvass near me: any account may ask (the page says why they do not qualify yet; an empty POST is
# a 422, hand back and sharing a 409: nobody in the world holds a near-me list); the self-serve
# rules and who is out: the team's lead and organisers.
POLICY.update({"nearme.index": ACCOUNT, "nearme.offer": ACCOUNT, "nearme.take": ACCOUNT, "nearme.hand_back": ACCOUNT,
               "nearme.share": ACCOUNT, "nearme.position": ACCOUNT, "nearme.team": LEAD, "nearme.save_team": LEAD})


def _routes():
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    return sorted((rule.endpoint, method, rule.rule) for rule in app.url_map.iter_rules()
                  for method in rule.methods - {"HEAD", "OPTIONS"})


ROUTES = _routes()


def test_every_route_has_a_policy():
    missing = sorted({endpoint for endpoint, _, _ in ROUTES} - set(POLICY))
    assert not missing, f"routes with no access policy (add them to POLICY): {missing}"


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def _request(client, method: str, url: str):
    if method == "GET":
        return client.get(url)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.open(url, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token})


@pytest.mark.parametrize("endpoint, method, rule", ROUTES, ids=[f"{m} {r}" for _, m, r in ROUTES])
def test_access_matrix(endpoint, method, rule, app, db, make_ward, make_household, make_user, make_walk_list, make_team):
    policy = POLICY.get(endpoint)
    if policy is None:
        pytest.fail(f"{endpoint} has no access policy")
    world = build_world(app, db, make_ward=make_ward, make_household=make_household, make_user=make_user,
                        make_walk_list=make_walk_list, make_team=make_team)
    with app.test_request_context():
        from flask import url_for

        args = {name: world.ids[name] for name in app.url_map._rules_by_endpoint[endpoint][0].arguments}
        url = url_for(endpoint, **args)
    seen = {}
    # The organiser goes last: their allowed writes (release a list, deactivate a volunteer)
    # must not change what the others are tested against.
    for principal in PRINCIPALS:
        before = row_counts(db) if method != "GET" else None
        response = _request(world.clients[principal], method, url)
        seen[principal] = response.status_code
        if os.environ.get("LEGWORK_ACCESS_DISCOVER"):
            continue
        if policy == "twilio":
            allowed = False
            assert response.status_code in (403, 404), f"{principal}: unsigned Twilio webhook got {response.status_code}"
        elif policy == "invite":
            allowed = False
            assert response.status_code in (404, 410), f"{principal}: bogus invite got {response.status_code}"
        else:
            allowed = principal in policy
        if allowed:
            ok = {200, 302} if method == "GET" else {200, 302, 400, 409, 422}
            assert response.status_code in ok and not _is_login_redirect(response) or (
                endpoint in ("home.index", "auth.login", "auth.logout", "auth.sign_out_everywhere") and response.status_code == 302), (
                f"{principal} should be allowed {method} {url}, got {response.status_code}")
        elif policy not in ("twilio", "invite"):
            refused = response.status_code in (401, 403, 404) or (principal == "anonymous" and _is_login_redirect(response))
            assert refused, f"{principal} should be refused {method} {url}, got {response.status_code}"
        if before is not None and not allowed:
            assert row_counts(db) == before, f"refused {method} {url} by {principal} changed the database"
    if os.environ.get("LEGWORK_ACCESS_DISCOVER"):
        print(f"\n{method:5} {url:60} {seen}")
