"""The builder form: a universe's tree as plain form fields, so the page works without JavaScript.

Each condition or group has a path ("0" is the top group, "0.2" its third child, "0.2.0" ...)
and its fields are named ``<path>:<param>``: ``0.2:kind``, ``0.2:not``, ``0.2:ids`` ... A *draft*
is the form read leniently (a row whose kind is not chosen yet, a half-filled one) so the page
can be shown again as it was; ``tree_from_draft`` turns it into a tree for ``tree.parse`` to
judge, leaving out rows with no kind yet. app/static/organiser/universe-tree.js reads the same
fields the same way (tests/js/universe-tree.test.mjs and tests/universes/test_forms.py agree).

The builder's kinds are the tree's, except that outcomes come as "door_outcome" and
"phone_outcome" (each offers its own channel's codes).
"""
from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length

from ..errors import ValidationError
from .tree import GROUPS, MAX_DEPTH, MAX_NODES

PATH = re.compile(r"0(?:\.\d{1,3}){0,%d}" % (MAX_DEPTH + 1))
PARAMS = {
    "ward": ("ids",), "neighbourhood": ("ids",), "walk_list": ("ids",),
    "support": ("levels", "unknown"),
    "reached": ("channel", "from", "to"), "attempted": ("channel", "from", "to"), "never_reached": ("channel",),
    "not_home_last": (), "has_phone": (),
    "door_outcome": ("codes", "latest"), "phone_outcome": ("codes", "latest"),
    "issue": ("issues",), "flag": ("flags",),
    "voted": ("election_id",), "did_not_vote": ("election_id",),
}
# The builder's kind menu, in the order an organiser thinks of them.
KIND_LABELS = [
    ("ward", "Ward"), ("neighbourhood", "Neighbourhood"), ("walk_list", "Walk list"),
    ("support", "Latest support"), ("never_reached", "Never reached"), ("not_home_last", "Not home last time"),
    ("reached", "Reached (between dates)"), ("attempted", "Knocked or called (between dates)"),
    ("door_outcome", "Door outcome"), ("phone_outcome", "Phone outcome"), ("issue", "Issue raised"),
    ("flag", "Said yes to"), ("has_phone", "Has a phone number"), ("voted", "Voted in"),
    ("did_not_vote", "Did not vote in"),
]
LISTS = {"ids", "levels", "codes", "issues", "flags"}
TICKS = {"unknown", "latest"}
NUMBERS = {"ids", "election_id"}
CHOSEN = {"ward", "neighbourhood", "walk_list"}  # past the pickers' threshold: ticked boxes and a search


class NameForm(FlaskForm):
    """The builder's name field and its CSRF token; the conditions are read by draft_from_form."""

    name = StringField("Name", validators=[Length(max=120)])


def _number(raw: str):
    """Digits -> int (so tree.parse can judge the id); anything else stays as sent, for the error."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 12 else raw


def draft_from_form(form) -> dict:
    """The builder's fields -> a draft: {"kind", "not", "of" (groups) or the kind's params}."""
    paths = [key[:-5] for key in form.keys() if key.endswith(":kind")]
    if len(paths) > 2 * MAX_NODES:
        raise ValidationError(f"A universe has at most {MAX_NODES} conditions and groups.")
    paths = {p for p in paths if PATH.fullmatch(p)}
    children: dict[str, list[str]] = {}
    for path in paths:
        parent, _, index = path.rpartition(".")
        if parent:
            children.setdefault(parent, []).append(path)

    def build(path: str) -> dict:
        kind = form.get(f"{path}:kind", "")
        node = {"kind": kind, "not": form.get(f"{path}:not") == "1"}
        if path == "0" and kind not in GROUPS:
            node["kind"] = kind = "and"
        if kind in GROUPS:
            kids = sorted(children.get(path, []), key=lambda p: int(p.rpartition(".")[2]))
            node["of"] = [build(p) for p in kids]
            return node
        for param in PARAMS.get(kind, ()):
            key = f"{path}:{param}"
            if param in LISTS:
                values = form.getlist(key)
                node[param] = [_number(v) for v in values] if param in NUMBERS else values
            elif param in TICKS:
                node[param] = form.get(key) == "1"
            elif param in NUMBERS:
                node[param] = _number(form.get(key, ""))
            else:
                node[param] = form.get(key, "")
        if kind in CHOSEN and form.get(f"{path}:pick", "").strip():
            node["pick"] = form.get(f"{path}:pick")  # a name typed into the search (app.universes.choices)
        return node

    return build("0")


def tree_from_draft(draft: dict) -> dict:
    """A draft -> a tree (not yet checked), leaving out conditions whose kind is not chosen."""
    kind = draft["kind"]
    if kind in GROUPS:
        tree = {"kind": kind, "of": [tree_from_draft(c) for c in draft["of"] if c["kind"]]}
    elif kind in ("door_outcome", "phone_outcome"):
        tree = {"kind": "outcome", "channel": kind.partition("_")[0], "codes": draft.get("codes", []),
                "latest": draft.get("latest", False)}
    else:
        tree = {"kind": kind}
        for param in PARAMS.get(kind, ()):
            value = draft.get(param)
            if param in ("from", "to"):
                value = value or None  # an empty date box: no limit
            elif param == "channel":
                value = value or "any"
            tree[param] = value
    return {"kind": "not", "of": tree} if draft.get("not") else tree


def draft_from_tree(tree: dict, *, negate: bool = False, top: bool = True) -> dict:
    """A canonical tree -> a draft for the builder; the top is always a group."""
    kind = tree["kind"]
    if kind == "not":
        return draft_from_tree(tree["of"], negate=not negate, top=top)
    if kind in GROUPS:
        return {"kind": kind, "not": negate, "of": [draft_from_tree(c, top=False) for c in tree["of"]]}
    if top:
        return {"kind": "and", "not": False, "of": [draft_from_tree(tree, negate=negate, top=False)]}
    draft = {**tree, "not": negate}
    if kind == "outcome":
        draft["kind"] = f"{draft.pop('channel')}_outcome"
    for key in ("from", "to"):
        if key in draft:
            draft[key] = draft[key] or ""
    return draft


def blank(kind: str = "and") -> dict:
    return {"kind": kind, "not": False, "of": []} if kind in GROUPS else {"kind": "", "not": False}


def apply_action(draft: dict, action: str) -> dict:
    """The no-JavaScript buttons: "add:<group path>", "group:<group path>", "remove:<path>"."""
    verb, _, path = action.partition(":")
    parts = [int(p) for p in path.split(".")[1:]] if PATH.fullmatch(path) else None
    if verb not in ("add", "group", "remove") or parts is None or (verb == "remove" and not parts):
        raise ValidationError("That button is not one of this page's.")
    parent, node = None, draft
    for index in parts:
        if node["kind"] not in GROUPS or index >= len(node["of"]):
            raise ValidationError("That condition is no longer on the page; try again.")
        parent, node = node, node["of"][index]
    if verb == "remove":
        parent["of"].pop(parts[-1])
    elif node["kind"] not in GROUPS:
        raise ValidationError("Conditions are added to groups only.")
    else:
        node["of"].append(blank("and" if verb == "group" else ""))
    return draft


def numbered(draft: dict, numbers: tuple[int, ...] = (), path: str = "0") -> dict:
    """The draft with each node's path (its fields' names) and number ("2.1", as errors say)."""
    out = {**draft, "path": path, "number": ".".join(map(str, numbers))}
    if draft["kind"] in GROUPS:
        kids, n = [], 0
        for i, child in enumerate(draft["of"]):
            n += 1 if child["kind"] else 0
            kids.append(numbered(child, numbers + (n,) if child["kind"] else (), f"{path}.{i}"))
        out["of"] = kids
    return out
