"""Lists cut and call sheets made from a universe: no door outside it is on a list (a household
is in when any of its people is), no one outside it is on a sheet, and the phone rules still hold."""
from __future__ import annotations

import html

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from app.db import write_transaction
from app.errors import ValidationError
from app.models import CallSheetEntry, DoNotContact, Person, WalkList, WalkListDoor
from app.phonebank import operations as phonebank
from app.universes import tree as trees
from app.walk_lists import cut_area, save_lists
from tests.universes.reference import Reference

SUPPORTERS = {"kind": "or", "of": [{"kind": "support", "levels": ["1", "2"]}, {"kind": "has_phone"}]}


def _reference(town, settings, tree):
    return Reference(town, settings), trees.parse(tree, settings=settings)


def test_a_cut_takes_exactly_the_free_doors_with_someone_in_the_universe(db, town, settings, save_universe):
    universe_id = save_universe(SUPPORTERS)
    reference, tree = _reference(town, settings, SUPPORTERS)
    inside = reference.households(tree)
    ward = town.wards[0]
    reserved = set().union(*town.doors.values())  # both lists are active
    proposal = cut_area(db, ward_id=ward, target_size=5, universe_id=universe_id)
    cut = {hid for turf in proposal.turfs for hid in turf.household_ids}
    in_ward = {h for h, v in town.households.items() if v["ward_id"] == ward}
    assert cut == (in_ward & inside) - reserved
    assert proposal.skipped_outside_universe == len(in_ward - inside) > 0
    # a household is in when any of its people is: some cut door has someone the universe leaves out
    left_out = [pid for pid, p in town.people.items() if p["household_id"] in cut and pid not in reference.people(tree)]
    assert left_out
    everyone = cut_area(db, ward_id=ward, target_size=5)
    assert {h for t in everyone.turfs for h in t.household_ids} == in_ward - reserved
    saved = write_transaction(db, lambda s: save_lists(s, proposal=proposal))
    doors = set(db.exec(sa.select(WalkListDoor.household_id).where(
        WalkListDoor.walk_list_id.in_([w.id for w in saved]))).scalars())
    assert doors == cut


def test_the_cut_form_takes_a_universe(client, auth, db, town, settings, save_universe):
    universe_id = save_universe(SUPPORTERS, name="Supporters or phones")
    auth.login_as("organiser")
    page = client.get("/organiser/lists")
    assert "Universe (optional)" in page.get_data(as_text=True) and "Supporters or phones" in page.get_data(as_text=True)
    token = auth.csrf_token("/organiser/lists")
    fields = {"csrf_token": token, "area": f"ward:{town.wards[0]}", "target_size": "5"}
    preview = client.post("/organiser/lists/preview", data={**fields, "universe": str(universe_id)})
    text = html.unescape(preview.get_data(as_text=True))
    assert preview.status_code == 200 and "North: Supporters or phones" in text
    assert "doors with nobody in the universe were left out" in text
    assert f'name="universe" value="{universe_id}"' in text  # "Cut again" keeps it
    forged = client.post("/organiser/lists/preview", data={**fields, "universe": "999999"})
    assert forged.status_code == 422 and "Not a valid choice" in forged.get_data(as_text=True)


def test_sheets_from_a_universe_keep_to_it_and_to_the_phone_rules(db, town, settings, save_universe):
    tree = {"kind": "voted", "election_id": town.elections[1]}
    universe_id = save_universe(tree, name="Voted in autumn")
    reference, canonical = _reference(town, settings, tree)
    ward = town.wards[1]
    callable_ = {pid for pid, p in town.people.items() if p["phone"] and not p["retired"]
                 and town.households[p["household_id"]]["ward_id"] == ward}
    wanted = callable_ & reference.people(canonical)
    blocked = sorted(wanted)[0]
    db.add(DoNotContact(person_id=blocked, channel="phone", reason="asked"))
    db.commit()
    sheets = write_transaction(db, lambda s: phonebank.make_call_sheets(
        s, scope=f"ward:{ward}", criteria="all", priority="none", sheet_size=50, actor_user_id=None,
        settings=settings, universe_id=universe_id))
    on = set(db.exec(sa.select(CallSheetEntry.person_id).where(
        CallSheetEntry.sheet_id.in_([s.id for s in sheets]))).scalars())
    assert on == wanted - {blocked} and len(callable_ - wanted) > 0
    assert sheets[0].name.startswith("South · Voted in autumn · all")
    nobody = save_universe({"kind": "or", "of": []}, name="No one")
    with pytest.raises(ValidationError, match="No one in South in the universe No one with a callable number"):
        write_transaction(db, lambda s: phonebank.make_call_sheets(
            s, scope=f"ward:{ward}", criteria="all", priority="none", sheet_size=50, actor_user_id=None,
            settings=settings, universe_id=nobody))


def test_the_sheet_form_takes_a_universe(client, auth, db, town, save_universe):
    universe_id = save_universe({"kind": "has_phone"}, name="Phones")
    auth.login_as("organiser")
    assert "Phones" in client.get("/phonebank/sheets").get_data(as_text=True)
    token = auth.csrf_token("/phonebank/sheets")
    data = MultiDict({"csrf_token": token, "scope": f"ward:{town.wards[0]}", "criteria": "all", "priority": "none",
                      "sheet_size": "50", "universe": str(universe_id)})
    assert client.post("/phonebank/sheets", data=data).status_code == 302
    data["universe"] = "abc"
    assert client.post("/phonebank/sheets", data=data).status_code == 422


def test_a_lead_cuts_from_a_universe_only_inside_their_area(client, auth, db, town, make_team, save_universe):
    from app.models import Ward

    universe_id = save_universe({"kind": "and", "of": []}, name="Everyone")
    lead = auth.login_as("volunteer")
    make_team(wards=[db.get(Ward, town.wards[0])], leads=[lead])
    token = auth.csrf_token("/organiser/lists")
    outside = client.post("/organiser/lists/preview", data={"csrf_token": token, "area": f"ward:{town.wards[1]}",
                                                            "target_size": "5", "universe": str(universe_id)})
    assert outside.status_code == 422  # the area is not one of the lead's choices
    inside = client.post("/organiser/lists/preview", data={"csrf_token": token, "area": f"ward:{town.wards[0]}",
                                                           "target_size": "5", "universe": str(universe_id)})
    assert inside.status_code == 200
    assert db.exec(sa.select(sa.func.count()).select_from(WalkList)).scalar_one() == len(town.walk_lists)
    assert db.exec(sa.select(sa.func.count()).select_from(Person)).scalar_one() == len(town.people)


def test_the_sheets_command_takes_a_universe(runner, db, town, save_universe):
    universe_id = save_universe({"kind": "has_phone"}, name="Phones")
    result = runner.invoke(args=["phonebank-make-sheets", f"ward:{town.wards[0]}", "--universe", str(universe_id)])
    assert result.exit_code == 0, result.output
    assert "North · Phones · all" in result.output
    missing = runner.invoke(args=["phonebank-make-sheets", f"ward:{town.wards[0]}", "--universe", "999"])
    assert missing.exit_code != 0 and "There is no such universe." in missing.output
