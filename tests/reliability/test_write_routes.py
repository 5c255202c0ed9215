"""Every writing route answers normally, never a 500, while door knocks stream in, and its write
lands. On SQLite a route that read and then wrote outside ``write_transaction`` answered
"database is locked" (500) under this load: the read's snapshot was stale by the time it wrote."""
from __future__ import annotations

import io
import json
import re

import pytest

from app import db as dbmod
from tests.support.gunicorn import PASSWORD, Server, seed
from tests.reliability.test_faults import env  # noqa: F401  (the fixture: a database for the server)
from tests.reliability.writer_flows import BOX, DoorKnocks, Person, count, seed_people

pytestmark = pytest.mark.slow

ROUNDS = 3
NEW_PASSWORD = "a-new-password-for-tests"


def _boundaries(n: int) -> dict:
    far = {"type": "Polygon", "coordinates": [[[10 + n, 50], [10.01 + n, 50], [10.01 + n, 50.01], [10 + n, 50]]]}
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Ward R1", "code": "R1"}, "geometry": {
            "type": "Polygon", "coordinates": [[[BOX[0], BOX[1]], [BOX[2], BOX[1]], [BOX[2], BOX[3]],
                                                [BOX[0], BOX[3]], [BOX[0], BOX[1]]]]}},
        {"type": "Feature", "properties": {"name": f"Far {n}", "code": f"FAR{n}"}, "geometry": far}]}


def _addresses(n: int) -> bytes:
    rows = "".join(f"imp-{n}-{i},{i + 1},,Import St,p{n}{i},b{n}{i},-71.13,42.37\n" for i in range(3))
    return ("address_id,house_number,suffix,street,parcel_id,building_id,lon,lat\n" + rows).encode()


def _accounts(base, log, engine, ids, n):
    org = Person(base, log)
    org.sign_in("organiser@routes.test")
    org.post("import boundaries", "/organiser/imports/boundaries", 200, token_from="/organiser/imports",
             data={"b-level": "ward", "b-name_field": "name", "b-code_field": "code"},
             files={"b-geojson": ("w.geojson", io.BytesIO(json.dumps(_boundaries(n)).encode()))})
    yield "boundaries imported", count(engine, "SELECT count(*) FROM wards WHERE code = :c", c=f"FAR{n}") == 1
    org.post("import addresses", "/organiser/imports/addresses", 200, token_from="/organiser/imports",
             data={"a-mapping": "cambridge"}, files={"a-csv_file": ("a.csv", io.BytesIO(_addresses(n)))})
    yield "addresses imported", count(engine, "SELECT count(*) FROM households WHERE external_id LIKE :e",
                                      e=f"imp-{n}-%") == 3
    before = count(engine, "SELECT count(*) FROM audit_log WHERE action = 'export.contacts'")
    csv = org.get("export csv", "/organiser/exports/contacts.csv", 200)
    yield "export audited", csv.status_code != 200 or count(
        engine, "SELECT count(*) FROM audit_log WHERE action = 'export.contacts'") == before + 1
    page = org.post("invite", "/organiser/volunteers/invite", 200, token_from="/organiser/volunteers",
                    data={"email": f"new{n}@routes.test", "roles": "canvasser"})
    link = re.search(r"/invite/([A-Za-z0-9_-]{20,})", page.text)
    if link:
        joiner = Person(base, log)
        joiner.post("accept invite", f"/invite/{link.group(1)}", 302, token_from=f"/invite/{link.group(1)}",
                    data={"name": f"New {n}", "password": PASSWORD, "confirm": PASSWORD})
        yield "invitee signed in", joiner.get("invitee's lists", "/canvass/", 200).status_code == 200
        joiner.post("logout (invitee)", "/logout", 302, token_from="/canvass/")
    vid = ids["volunteer"]
    roles = "canvasser caller" if n % 2 == 0 else "canvasser"  # stored in ROLES order
    org.post("set roles", f"/organiser/volunteers/{vid}/roles", 302, token_from="/organiser/volunteers",
             data={"roles": roles.split()})
    yield "roles set", count(engine, "SELECT count(*) FROM users WHERE id = :i AND roles = :r", i=vid, r=roles) == 1
    org.post("deactivate", f"/organiser/volunteers/{vid}/deactivate", 302, token_from="/organiser/volunteers")
    yield "deactivated", count(engine, "SELECT count(*) FROM users WHERE id = :i AND NOT is_active", i=vid) == 1
    org.post("reactivate", f"/organiser/volunteers/{vid}/reactivate", 302, token_from="/organiser/volunteers")
    yield "reactivated", count(engine, "SELECT count(*) FROM users WHERE id = :i AND is_active", i=vid) == 1
    changer = Person(base, log)
    old, new = (PASSWORD, NEW_PASSWORD) if n % 2 == 0 else (NEW_PASSWORD, PASSWORD)
    changer.sign_in("changer@routes.test", old)
    changer.post("change password", "/account/password", 302, token_from="/account",
                 data={"current": old, "new": new, "confirm": new})
    yield "new password works", Person(base, log).sign_in("changer@routes.test", new).status_code == 302
    yield from _lists(base, log, engine, ids, n, org)
    org.post("logout", "/logout", 302, token_from="/organiser/volunteers")
    yield "signed out", org.get("after logout", "/organiser/volunteers", 302).status_code == 302


def _lists(base, log, engine, ids, n, org):
    preview = org.post("cut lists", "/organiser/lists/preview", 200, token_from="/organiser/lists",
                       data={"area": f"ward:{ids['ward']}", "target_size": 10})
    signed = re.search(r'name="proposal"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="proposal"', preview.text)
    before = count(engine, "SELECT count(*) FROM walk_lists")
    if signed:
        org.post("save lists", "/organiser/lists/save", 302, token_from="/organiser/lists",
                 data={"proposal": signed.group(1) or signed.group(2)})
    yield "lists saved", count(engine, "SELECT count(*) FROM walk_lists") > before
    lid = count(engine, "SELECT max(id) FROM walk_lists")
    vid, detail = ids["volunteer"], f"/organiser/lists/{lid}"
    org.post("assign", f"{detail}/assign", 302, token_from=detail, data={"user_ids": [vid]})
    yield "assigned", count(engine, "SELECT count(*) FROM assignments WHERE walk_list_id = :l AND user_id = :u "
                                    "AND unassigned_at IS NULL", l=lid, u=vid) == 1
    org.post("unassign", f"{detail}/unassign/{vid}", 302, token_from=detail)
    yield "unassigned", count(engine, "SELECT count(*) FROM assignments WHERE walk_list_id = :l "
                                      "AND unassigned_at IS NULL", l=lid) == 0
    pin_page = org.post("make PIN", f"{detail}/pins", 200, token_from=detail, data={"label": f"door {n}"})
    pin = re.search(r'id="pin">(\d+)<', pin_page.text)
    code = count(engine, "SELECT code FROM walk_lists WHERE id = :l", l=lid)
    if pin:
        joiner = Person(base, log)
        joiner.post("join with PIN", "/canvass/join", 302, token_from="/canvass/join",
                    data={"code": code, "pin": pin.group(1)})
    pid = count(engine, "SELECT max(id) FROM list_pins WHERE walk_list_id = :l", l=lid)
    org.post("revoke PIN", f"{detail}/pins/{pid}/revoke", 302, token_from=detail)
    yield "PIN revoked", count(engine, "SELECT count(*) FROM list_pins WHERE id = :p AND revoked_at IS NOT NULL",
                               p=pid) == 1
    org.post("release list", f"{detail}/release", 302, token_from=detail, data={"confirm": "y"})
    yield "released", count(engine, "SELECT count(*) FROM walk_lists WHERE id = :l AND status = 'active'", l=lid) == 0
    sheets = count(engine, "SELECT count(*) FROM call_sheets")
    org.post("make call sheets", "/phonebank/sheets", 302, token_from="/phonebank/sheets",
             data={"scope": f"ward:{ids['ward']}", "criteria": "all", "priority": "none", "sheet_size": 10})
    yield "sheets made", count(engine, "SELECT count(*) FROM call_sheets") > sheets
    sid = count(engine, "SELECT max(id) FROM call_sheets")
    org.post("queue sheet", f"/phonebank/sheets/{sid}/queue", 302, token_from="/phonebank/sheets")
    yield from _calls(base, log, engine, ids)


def _calls(base, log, engine, ids):
    caller = Person(base, log)
    caller.sign_in("caller@routes.test")
    for then in ("outcome", "skip"):
        claimed = caller.post("next call", "/phonebank/next", 302, token_from="/phonebank/")
        match = re.search(r"/phonebank/call/(\d+)", claimed.headers.get("Location", ""))
        if not match:
            continue
        path = f"/phonebank/call/{match.group(1)}"
        html = caller.http.get(base + path, timeout=30).text
        event = re.search(r'name="event_id"[^>]*value="([^"]+)"', html)
        if then == "outcome" and event:
            caller.post("call outcome", f"{path}/outcome", 302, token_from=path,
                        data={"event_id": event.group(1), "code": "spoke", "then": "next"})
            yield "call recorded", count(engine, "SELECT count(*) FROM contact_events WHERE id = :e",
                                         e=event.group(1)) == 1
        elif then == "skip":
            caller.post("skip call", f"{path}/skip", 302, token_from=path)
    caller.post("logout (caller)", "/logout", 302, token_from="/phonebank/")
    yield "caller signed out", caller.get("after logout", "/phonebank/", 302).status_code == 302


def test_every_writing_route_answers_and_writes_while_door_knocks_stream_in(env):  # noqa: F811
    specs = seed(env, phones=8, doors=5)
    ids = seed_people(env)
    env = {**env, "LEGWORK_PHONEBANK__CALLING_WINDOW": '["00:00", "00:00"]'}
    server = Server(env, workers=2, threads=4)
    server.start()
    engine = dbmod.make_engine(dbmod.database_url_from(env["LEGWORK_DATABASE_URL"]),
                               schema=env.get("LEGWORK_DATABASE_SCHEMA"))
    log, checks = [], []
    try:
        with DoorKnocks(server.url, specs) as knocks:
            for n in range(ROUNDS):
                checks += list(_accounts(server.url, log, engine, ids, n))
    finally:
        server.stop()
        engine.dispose()
    wrong = [entry for entry in log if entry[1] != entry[2]]
    assert [e for e in log if e[1] >= 500] == [], f"5xx answers: {wrong}"
    assert wrong == [], f"unexpected answers: {wrong}"
    assert [name for name, ok in checks if not ok] == [], f"writes not found: {checks}"
    assert knocks.server_errors == []
    assert knocks.posts > 0 and len(log) >= ROUNDS * 25
    print(f"\n{len(log)} route requests, {knocks.posts} door-knock posts in {knocks.seconds:.1f} s")
