"""What a universe tree means, said plainly in Python over a ``Town`` (town.py): the SQL that
app/universes/filters.py compiles must select exactly these people. Written from the tree's
documentation (app/universes/tree.py), not from the compiler: contact history from the events
themselves (never the summaries), dates on the campaign's clock."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from app.clock import as_utc


class Reference:
    def __init__(self, town, settings):
        self.town, self.settings, self.tz = town, settings, ZoneInfo(settings.timezone)
        self.by_household: dict[int, list[dict]] = {}
        for e in town.events:
            self.by_household.setdefault(e["household_id"], []).append(e)
        self.when = {e["id"]: e["recorded_at"] for e in town.events}

    def people(self, tree) -> set[int]:
        return {pid for pid in self.town.people if self.holds(tree, pid)}

    def households(self, tree) -> set[int]:
        return {self.town.people[pid]["household_id"] for pid in self.people(tree)}

    def holds(self, node, pid) -> bool:
        kind = node["kind"]
        person = self.town.people[pid]
        hid = person["household_id"]
        house = self.town.households[hid]
        events = self.by_household.get(hid, [])
        if kind == "and":
            return all(self.holds(c, pid) for c in node["of"])
        if kind == "or":
            return any(self.holds(c, pid) for c in node["of"])
        if kind == "not":
            return not self.holds(node["of"], pid)
        if kind == "ward":
            return house["ward_id"] in node["ids"]
        if kind == "neighbourhood":
            return house["neighbourhood_id"] in node["ids"]
        if kind == "walk_list":
            return any(hid in self.town.doors.get(lid, ()) for lid in node["ids"])
        if kind == "support":
            answers = [r for r in self.town.responses if r["person_id"] == pid and r["support_level"] is not None]
            if not answers:
                return node["unknown"]
            latest = max(answers, key=lambda r: (as_utc(self.when[r["event_id"]]), r["event_id"]))
            return latest["support_level"] in node["levels"]
        if kind in ("reached", "attempted", "never_reached"):
            found = any(self._counts(e, node, reached=kind != "attempted") for e in events)
            return not found if kind == "never_reached" else found
        if kind == "not_home_last":
            door = [e for e in events if e["channel"] == "door"]
            if not door:
                return False
            code = self.settings.codes("door")[max(door, key=lambda e: (as_utc(e["recorded_at"]), e["code"]))["code"]]
            return not (code.contact or code.final or code.dnc)
        if kind == "outcome":
            mine = [e for e in events if e["channel"] == node["channel"]]
            if node["latest"]:
                mine = [max(mine, key=lambda e: (as_utc(e["recorded_at"]), e["code"]))] if mine else []
            return any(e["code"] in node["codes"] for e in mine)
        if kind == "issue":
            return any(set(r["issues"].split("|")) & set(node["issues"])
                       for r in self.town.responses if r["person_id"] == pid)
        if kind == "flag":
            return any(r[f] for r in self.town.responses if r["person_id"] == pid for f in node["flags"])
        if kind == "has_phone":
            return person["phone"] is not None and person["retired"] is None
        if kind == "voted":
            return (pid, node["election_id"]) in self.town.voted
        if kind == "did_not_vote":
            return (pid, node["election_id"]) not in self.town.voted
        raise AssertionError(f"no reference for {kind}")

    def _counts(self, event, node, *, reached: bool) -> bool:
        if node["channel"] != "any" and event["channel"] != node["channel"]:
            return False
        code = self.settings.codes(event["channel"]).get(event["code"])
        if reached and not (code and code.contact):
            return False
        day = as_utc(event["recorded_at"]).astimezone(self.tz).date().isoformat()
        return (node.get("from") is None or day >= node["from"]) and (node.get("to") is None or day <= node["to"])
