"""Searchable pickers for the list pages: areas (wards and neighbourhoods) and the volunteers a
list can be given. A state has 1,000 wards, 5,000 precincts and 5,000 volunteers: offering each as
an ``<option>`` made the list pages megabytes, so past ``PICKER_MIN`` choices a page sends a text
field instead, searched as the organiser types (views_pickers) and resolved here when sent,
with or without JavaScript: a key ("ward:12"), a code, a name, or the label the search showed."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app, jsonify
from sqlmodel import Session, select

from ..auth.access import Scope
from ..errors import ValidationError
from ..params import MAX_ID
from ..models import Assignment, Neighbourhood, User, WalkList, Ward
from ..sorting import natural_key
from ..walk_lists.assignments import ASSIGNABLE_ROLES

PICKER_MIN = 200     # fewer choices than this stay a plain <select> (the app's PICKER_MIN overrides: tests)
RESULTS = 20         # a search's answers
MAX_QUERY = 100      # characters a search or a typed value may have


def search_text(args) -> str:
    """A search's ?q=, refused past MAX_QUERY characters."""
    text = args.get("q", "")
    if len(text) > MAX_QUERY:
        raise ValidationError(f"A search is at most {MAX_QUERY} characters (got {len(text)}).")
    return text


def answer(results):
    """A search's JSON answer: {"results": [{"value", "label"}]}."""
    response = jsonify({"results": [{"value": str(value), "label": label} for value, label in results]})
    response.headers["Cache-Control"] = "no-store"  # names of people: never kept by a shared cache
    return response


def threshold() -> int:
    return int(current_app.config.get("PICKER_MIN", PICKER_MIN))


def _like(text: str):
    escaped = text.casefold().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches(column, text: str):
    return sa.func.lower(column).like(_like(text), escape="\\")


def an_id(text: str) -> bool:
    return text.isascii() and text.isdigit() and len(text) <= 10 and int(text) <= MAX_ID


def area_count(session: Session, *, scope: Scope | None) -> int:
    if scope is not None:
        return len(scope.ward_ids) + len(scope.neighbourhood_ids)
    count = sa.func.count()
    return (session.exec(select(count).select_from(Ward)).one()
            + session.exec(select(count).select_from(Neighbourhood)).one())


WHOLE = " (whole ward)"


def _ward_label(ward: Ward) -> str:
    return f"{ward.name}{WHOLE}"


def hood_label(hood: Neighbourhood, wards: dict[int, Ward]) -> str:
    ward = wards.get(hood.ward_id)
    return f"{ward.name} › {hood.name}" if ward else hood.name


def _areas(session: Session, *, scope: Scope | None, ward_cond, hood_cond, limit: int | None):
    wards_q, hoods_q = select(Ward).where(ward_cond), select(Neighbourhood).where(hood_cond)
    if scope is not None:
        wards_q = wards_q.where(Ward.id.in_(sorted(scope.ward_ids)))
        hoods_q = hoods_q.where(Neighbourhood.id.in_(sorted(scope.neighbourhood_ids)))
    if limit is not None:
        wards_q, hoods_q = wards_q.order_by(Ward.name).limit(limit), hoods_q.order_by(Neighbourhood.name).limit(limit)
    wards, hoods = session.exec(wards_q).all(), session.exec(hoods_q).all()
    parents = {w.id: w for w in session.exec(select(Ward).where(
        Ward.id.in_({h.ward_id for h in hoods if h.ward_id is not None})))} if hoods else {}
    found = [(f"ward:{w.id}", _ward_label(w)) for w in wards] + [(f"hood:{h.id}", hood_label(h, parents))
                                                                   for h in hoods]
    return sorted(found, key=lambda pair: natural_key(pair[1]))


def first_area(session: Session, *, scope: Scope | None) -> tuple[str, str] | None:
    """The first ward (in natural order of the names) inside ``scope``, as an area (key, label)."""
    query = select(Ward.id, Ward.name)
    if scope is not None:
        query = query.where(Ward.id.in_(sorted(scope.ward_ids)))
    rows = session.exec(query).all() if scope is None or scope.ward_ids else []
    if not rows:  # a team lead of neighbourhoods only: their first one
        found = _areas(session, scope=scope, ward_cond=sa.false(), hood_cond=sa.true(), limit=None) if scope else []
        return found[0] if found else None
    wid, name = min(rows, key=lambda row: natural_key(row[1]))
    return f"ward:{wid}", f"{name}{WHOLE}"


def search_areas(session: Session, *, text: str, scope: Scope | None) -> list[tuple[str, str]]:
    """Up to RESULTS areas whose name or code holds ``text`` (a neighbourhood also by its ward's
    name: "ward 9 east"), keys and labels as the cut form's select had them."""
    text = " ".join(text.split())
    if not text:
        return []
    ward_names = select(Ward.id).where(matches(Ward.name, text))
    hood_cond = sa.or_(matches(Neighbourhood.name, text), matches(Neighbourhood.code, text),
                       Neighbourhood.ward_id.in_(ward_names))
    ward_part, arrow, hood_part = text.partition("›")
    if arrow and ward_part.strip() and hood_part.strip():  # a label as the search showed it
        hood_cond = sa.or_(hood_cond, sa.and_(matches(Neighbourhood.name, hood_part.strip()), Neighbourhood.ward_id.in_(
            select(Ward.id).where(matches(Ward.name, ward_part.strip())))))
    words = text.replace("›", " ").split()
    if len(words) > 1:  # "Ward 9 East": each word in the ward's name or the neighbourhood's
        hood_cond = sa.or_(hood_cond, sa.and_(*[sa.or_(matches(Neighbourhood.name, w), Neighbourhood.ward_id.in_(
            select(Ward.id).where(matches(Ward.name, w)))) for w in words]))
    found = _areas(session, scope=scope, ward_cond=sa.or_(matches(Ward.name, text), matches(Ward.code, text)),
                   hood_cond=hood_cond, limit=RESULTS * 5)
    exact = [pair for pair in found if _same(pair[1], text)]
    return (exact + [pair for pair in found if pair not in exact])[:RESULTS]


def _same(label: str, text: str) -> bool:
    return label.casefold() == text.casefold() or label.casefold().removesuffix(WHOLE) == text.casefold()


def resolve_area(session: Session, *, value: str, scope: Scope | None) -> tuple[str, str]:
    """The (key, label) a typed area means, or a ValidationError naming it."""
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError("Choose a ward or neighbourhood.")
    if len(value) > MAX_QUERY:
        raise ValidationError(f"No ward or neighbourhood is called “{value[:40]}…”.")
    kind, _, raw = value.partition(":")
    if kind in ("ward", "hood") and an_id(raw):
        ward_cond = Ward.id == int(raw) if kind == "ward" else sa.false()
        hood_cond = Neighbourhood.id == int(raw) if kind == "hood" else sa.false()
        found = _areas(session, scope=scope, ward_cond=ward_cond, hood_cond=hood_cond, limit=None)
        if found:
            return found[0]
    lowered = value.casefold()
    by_code = _areas(session, scope=scope, ward_cond=sa.func.lower(Ward.code) == lowered,
                     hood_cond=sa.func.lower(Neighbourhood.code) == lowered, limit=None)
    # The label a page shows in the box ("Ward 9 (whole ward)") comes back as it is from a form
    # sent without JavaScript: searched for by the ward's name.
    bare = value[:-len(WHOLE)].strip() if lowered.endswith(WHOLE) else value
    named = by_code or [pair for pair in search_areas(session, text=bare, scope=scope) if _same(pair[1], value)]
    if len(named) == 1:
        return named[0]
    if named:
        raise ValidationError(f"“{value}” names {len(named)} areas ({', '.join(label for _, label in named[:3])}…): "
                              "pick one from the search, or type its code.")
    raise ValidationError(f"No ward or neighbourhood {'you can cut ' if scope is not None else ''}"
                          f"is called “{value}”: type part of its name or its code, and pick it from the search.")


def _wards_in(query, ward_ids):
    return query if ward_ids is None else query.where(Ward.id.in_(sorted(ward_ids) or [0]))


def search_wards(session: Session, *, text: str, ward_ids=None) -> list[tuple[str, str]]:
    """Up to RESULTS wards (``ward_ids``: only these) whose name or code holds ``text``, as
    (id, name): the dashboard's ward menu, past PICKER_MIN wards."""
    text = " ".join(text.split())
    if not text:
        return []
    query = select(Ward.id, Ward.name).where(sa.or_(matches(Ward.name, text), matches(Ward.code, text)))
    found = session.exec(_wards_in(query, ward_ids).order_by(Ward.name, Ward.id).limit(RESULTS * 5)).all()
    found = sorted(found, key=lambda row: (not _same(row[1], text), natural_key(row[1])))
    return [(str(wid), name) for wid, name in found[:RESULTS]]


def resolve_ward(session: Session, *, value: str, ward_ids=None) -> int | None:
    """The ward a typed value means (its id, as the search answers it; its name or its code, in
    any case); None when blank; a ValidationError naming the value when it names no ward (of
    ``ward_ids``) or several."""
    value = " ".join((value or "").split())
    if not value:
        return None
    if an_id(value):
        return int(value)  # the caller says 404 or 403, as for ?ward=<id> before
    shown = value[:60] + ("…" if len(value) > 60 else "")
    lowered = value.casefold()
    found = [] if len(value) > MAX_QUERY else session.exec(_wards_in(select(Ward.id), ward_ids).where(sa.or_(
        sa.func.lower(Ward.name) == lowered, sa.func.lower(Ward.code) == lowered)).limit(2)).all()
    if len(found) == 1:
        return found[0]
    if found:
        raise ValidationError(f"More than one ward is called “{shown}”: pick one from the search, or type its code.")
    raise ValidationError(f"No ward {'of your areas ' if ward_ids is not None else ''}is called “{shown}”: "
                          "type part of its name or its code, and pick it from the search.")


def list_places(session: Session, *, lists: list[WalkList]) -> dict[int, str]:
    """Each list's area for the lists table ("Ward 9", "Ward 9 › East"), reading only theirs."""
    hood_ids = {w.neighbourhood_id for w in lists if w.neighbourhood_id is not None}
    hoods = {h.id: h for h in session.exec(select(Neighbourhood).where(Neighbourhood.id.in_(hood_ids)))} if hood_ids else {}
    ward_ids = {w.ward_id for w in lists if w.ward_id is not None} | {h.ward_id for h in hoods.values() if h.ward_id}
    wards = {w.id: w for w in session.exec(select(Ward).where(Ward.id.in_(ward_ids)))} if ward_ids else {}
    return {w.id: (hood_label(hoods[w.neighbourhood_id], wards) if w.neighbourhood_id in hoods
                   else wards[w.ward_id].name if w.ward_id in wards else "—") for w in lists}


def holders(session: Session, walk_list_id: int) -> set[int]:
    """Who holds the list now (not offered it again)."""
    return set(session.exec(select(Assignment.user_id).where(Assignment.walk_list_id == walk_list_id,
                                                             Assignment.unassigned_at.is_(None))).all())


def volunteer_label(user: User) -> str:
    return f"{user.name} <{user.email}>" if user.name else user.email


def _assignable(taken: set[int], member_ids: set[int] | None):
    padded = sa.literal(" ") + User.roles + sa.literal(" ")
    conds = [User.is_active.is_(True), sa.or_(*[padded.like(f"% {role} %") for role in ASSIGNABLE_ROLES])]
    if taken:
        conds.append(User.id.not_in(sorted(taken)))
    if member_ids is not None:
        conds.append(User.id.in_(sorted(member_ids)))
    return conds


def assignable_count(session: Session, *, taken: set[int], member_ids: set[int] | None) -> int:
    return session.exec(select(sa.func.count()).select_from(User).where(*_assignable(taken, member_ids))).one()


def search_volunteers(session: Session, *, text: str, taken: set[int],
                      member_ids: set[int] | None) -> list[User]:
    """Up to RESULTS volunteers who could be given the list (active, an assignable role, not
    holding it, a lead's own team) whose name or email holds ``text``."""
    text = " ".join(text.split())
    if not text:
        return []
    return list(session.exec(select(User).where(
        *_assignable(taken, member_ids), sa.or_(matches(User.name, text), matches(User.email, text)))
        .order_by(User.email).limit(RESULTS)).all())


def resolve_volunteer(session: Session, *, value: str, taken: set[int], member_ids: set[int] | None) -> int:
    """The id of the volunteer a typed value means: an id the search gave, an email, a label or a
    name that only one of them has; a ValidationError naming the value otherwise."""
    value = " ".join((value or "").split())
    if an_id(value):
        found = session.exec(select(User.id).where(*_assignable(taken, member_ids), User.id == int(value))).all()
    else:
        lowered = value.casefold()
        email = lowered.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in lowered else lowered
        found = session.exec(select(User.id).where(*_assignable(taken, member_ids), sa.or_(
            sa.func.lower(User.email) == email, sa.func.lower(User.name) == lowered)).limit(2)).all()
    if len(found) == 1:
        return found[0]
    shown = value[:60] + ("…" if len(value) > 60 else "")
    if found:
        raise ValidationError(f"More than one volunteer is called “{shown}”: type their email.")
    raise ValidationError(f"No volunteer who can be given this list is called “{shown}”: "
                          "type part of their name or email, and pick them from the search.")
