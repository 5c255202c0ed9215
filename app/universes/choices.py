"""The wards, neighbourhoods and walk lists a universe's conditions choose from. A state has 1,000
wards, 5,000 neighbourhoods and 50,000 lists: offering each as an ``<option>`` (in every such
condition and in the page's templates) made the builder megabytes. Past the pickers' threshold a
condition shows the ones chosen as ticked boxes and a search to add another
(app/static/organiser/picker.js); without JavaScript the typed name is resolved here when sent."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..errors import ValidationError
from ..models import Neighbourhood, WalkList, Ward
from ..sorting import natural_key

MODELS = {"ward": Ward, "neighbourhood": Neighbourhood, "walk_list": WalkList}
NOUNS = {"ward": "ward", "neighbourhood": "neighbourhood", "walk_list": "walk list"}


def pickers():
    # Imported when first used: app.organiser's views import app.universes, so app.universes may
    # not import app.organiser while it is itself being imported.
    from ..organiser import pickers

    return pickers


def threshold() -> int:
    return pickers().threshold()


def options(session: Session, *, threshold: int) -> dict[str, list[tuple[int, str]] | None]:
    """Each kind's (id, label) choices in natural order, or None where there are ``threshold`` or
    more of them (the condition then searches)."""
    out: dict[str, list[tuple[int, str]] | None] = {}
    for kind, model in MODELS.items():
        ids = session.exec(select(model.id).limit(threshold)).all()
        out[kind] = None if len(ids) >= threshold else _labelled(session, kind, ids)
    return out


def chosen_labels(session: Session, *, draft: dict) -> dict[str, dict[int, str]]:
    """The labels of the ids a draft's conditions hold, by kind (for the ticked boxes)."""
    wanted: dict[str, set[int]] = {kind: set() for kind in MODELS}
    for node in _leaves(draft):
        if node["kind"] in MODELS:
            wanted[node["kind"]] |= {i for i in node.get("ids") or [] if isinstance(i, int)}
    return {kind: dict(_labelled(session, kind, sorted(ids))) if ids else {} for kind, ids in wanted.items()}


def search(session: Session, *, kind: str, text: str) -> list[tuple[int, str]]:
    """Up to pickers.RESULTS of a kind whose name (or code) holds ``text``; a neighbourhood also by
    its ward's name, a list by its area's."""
    picker = pickers()
    text = " ".join(text.split())
    if not text:
        return []
    if kind == "neighbourhood":
        return [(int(key.partition(":")[2]), label) for key, label in
                picker.search_areas(session, text=text, scope=None) if key.startswith("hood:")]
    model = MODELS[kind]
    cond = picker.matches(model.name, text)
    if kind == "ward":
        cond = sa.or_(cond, picker.matches(Ward.code, text))
    ids = session.exec(select(model.id).where(cond).order_by(model.name, model.id).limit(picker.RESULTS)).all()
    return _labelled(session, kind, ids)


def add_picks(session: Session, *, draft: dict) -> str:
    """Move each condition's typed ``pick`` (a name, a label the search showed, or an id) into its
    ids. Returns the first error (its text is left in the box) or ""."""
    errors = []
    for node in _leaves(draft):
        typed = " ".join((node.pop("pick", "") or "").split())
        if not typed or node["kind"] not in MODELS:
            continue
        try:
            found = _resolve(session, node["kind"], typed)
        except ValidationError as err:
            node["pick"] = typed
            errors.append(err.message)
            continue
        ids = node.setdefault("ids", [])
        if found not in ids:
            ids.append(found)
    return errors[0] if errors else ""


def _resolve(session: Session, kind: str, typed: str) -> int:
    picker = pickers()
    noun, model = NOUNS[kind], MODELS[kind]
    if len(typed) > picker.MAX_QUERY:
        raise ValidationError(f"No {noun} is called “{typed[:40]}…”.")
    if picker.an_id(typed) and session.get(model, int(typed)) is not None:
        return int(typed)
    lowered = typed.casefold()
    by_name = session.exec(select(model.id).where(sa.func.lower(model.name) == lowered).limit(50)).all()
    if kind == "ward" and not by_name:
        by_name = session.exec(select(Ward.id).where(sa.func.lower(Ward.code) == lowered).limit(50)).all()
    found = set(by_name) | {i for i, label in search(session, kind=kind, text=typed) if label.casefold() == lowered}
    if len(found) == 1:
        return found.pop()
    if found:
        raise ValidationError(f"“{typed}” names {len(found)} {noun}s: pick one from the search as you type, "
                              "or type it as the search shows it.")
    raise ValidationError(f"No {noun} is called “{typed}”: type part of its name and pick it from the search.")


def _labelled(session: Session, kind: str, ids) -> list[tuple[int, str]]:
    """(id, label) for these ids in natural order of the label: a neighbourhood as "Ward 9 › East",
    a list with its area ("Ward 9 › East: List 3"), since list names repeat across areas."""
    picker = pickers()
    if not ids:
        return []
    if kind == "ward":
        rows = session.exec(select(Ward.id, Ward.name).where(Ward.id.in_(ids))).all()
        pairs = [(i, name) for i, name in rows]
    elif kind == "neighbourhood":
        hoods = session.exec(select(Neighbourhood).where(Neighbourhood.id.in_(ids))).all()
        wards = {w.id: w for w in session.exec(select(Ward).where(Ward.id.in_({h.ward_id for h in hoods})))}
        pairs = [(h.id, picker.hood_label(h, wards)) for h in hoods]
    else:
        lists = session.exec(select(WalkList).where(WalkList.id.in_(ids))).all()
        places = picker.list_places(session, lists=lists)
        pairs = [(w.id, f"{places[w.id]}: {w.name}" if places[w.id] != "—" else w.name) for w in lists]
    return sorted(pairs, key=lambda pair: natural_key(pair[1]))


def _leaves(node: dict):
    if "of" in node:
        for child in node["of"]:
            yield from _leaves(child)
    else:
        yield node
