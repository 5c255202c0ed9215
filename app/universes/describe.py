"""A universe in words, for the list of universes and the pages that use one:
"Ward 9 and latest support Strong support or Lean support and not reached by door since 1 Oct"."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from ..config import Settings
from ..models import Election, Neighbourhood, WalkList, Ward
from .tree import FLAGS, GROUPS, walk

MODELS = {"ward": Ward, "neighbourhood": Neighbourhood, "walk_list": WalkList}
CHANNEL = {"any": "", "door": " at the door", "phone": " by phone", "relational": " by someone they know"}


def _names(session: Session, tree: dict) -> dict:
    """(kind, id) -> name for every area and election the tree names, in a query per kind."""
    wanted: dict[str, set[int]] = {}
    for node, _ in walk(tree):
        if node["kind"] in MODELS:
            wanted.setdefault(node["kind"], set()).update(node["ids"])
        elif "election_id" in node:
            wanted.setdefault("election", set()).add(node["election_id"])
    names = {}
    for kind, ids in wanted.items():
        model = MODELS.get(kind, Election)
        names.update({(kind, i): n for i, n in session.exec(select(model.id, model.name).where(model.id.in_(ids)))})
    return names


def _day(text: str) -> str:
    day = date.fromisoformat(text)
    return f"{day.day} {day:%b %Y}"


def _either(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def describe(session: Session, *, tree: dict, settings: Settings) -> str:
    names = _names(session, tree)
    scale = dict(settings.support_scale)

    def words(node: dict, top: bool = False) -> str:
        kind = node["kind"]
        if kind in GROUPS:
            parts = [words(child) for child in node["of"]]
            if not parts:
                return "everyone" if kind == "and" else "no one"
            text = f" {kind} ".join(parts)
            return text if top or len(parts) == 1 else f"({text})"
        if kind == "not":
            return f"not {words(node['of'])}"
        if kind in MODELS:
            label = kind.replace("_", " ")
            return f"{label} " + _either([names.get((kind, i), f"#{i} (gone)") for i in node["ids"]])
        if kind == "support":
            levels = [scale.get(v, v) for v in node["levels"]] + (["no answer yet"] if node["unknown"] else [])
            return "latest support " + _either(levels)
        if kind in ("reached", "attempted"):
            text = kind + CHANNEL[node["channel"]]
            if node["from"]:
                text += f" from {_day(node['from'])}"
            if node["to"]:
                text += f" to {_day(node['to'])}"
            return text
        if kind == "never_reached":
            return "never reached" + CHANNEL[node["channel"]]
        if kind == "outcome":
            codes = settings.codes(node["channel"])
            labels = [codes[c].label if c in codes else c for c in node["codes"]]
            return (f"latest {node['channel']} outcome " if node["latest"] else f"{node['channel']} outcome ever ") \
                + _either(labels)
        if kind == "issue":
            return "raised " + _either(node["issues"])
        if kind == "flag":
            return _either([FLAGS[f] for f in node["flags"]])
        if kind in ("voted", "did_not_vote"):
            name = names.get(("election", node["election_id"]), f"#{node['election_id']} (gone)")
            return ("voted in " if kind == "voted" else "did not vote in ") + name
        return {"not_home_last": "not home last time", "has_phone": "has a phone number"}[kind]

    text = words(tree, top=True)
    return text[:1].upper() + text[1:]
