"""What the training pages, the events' check-in and the volunteer's home read."""
from __future__ import annotations

import re
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..errors import NotFound
from ..models import TrainingCompletion, TrainingModule, User
from ..models.states import EventKind

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX = 60

KIND_LABELS = {EventKind.CANVASS: "Canvassing", EventKind.PHONE_BANK: "Phone banking",
               EventKind.TRAINING: "Training sessions", EventKind.SOCIAL: "Socials",
               EventKind.COMMUNITY: "Community action", EventKind.TELLING: "Telling (polling day)",
               EventKind.KNOCKING_UP: "Knocking up (polling day)"}


def required_kinds(module: TrainingModule) -> list[str]:
    """The event kinds that need this module, in EventKind order (unknown words ignored)."""
    words = set((module.required_for or "").split())
    return [kind.value for kind in EventKind if kind.value in words]


def required_labels(module: TrainingModule) -> list[str]:
    return [KIND_LABELS[EventKind(kind)] for kind in required_kinds(module)]


def modules(session: Session) -> list[TrainingModule]:
    return list(session.exec(select(TrainingModule).order_by(TrainingModule.title, TrainingModule.id)).all())


def module_by_slug(session: Session, *, slug: str) -> TrainingModule:
    """The module, or NotFound (a string that cannot be a slug is not looked up at all)."""
    if not isinstance(slug, str) or len(slug) > SLUG_MAX or not SLUG_RE.fullmatch(slug):
        raise NotFound("There is no training module at that address.")
    module = session.exec(select(TrainingModule).where(TrainingModule.slug == slug)).first()
    if module is None:
        raise NotFound("There is no training module at that address.")
    return module


def completed_ids(session: Session, *, user_id: int) -> set[int]:
    return set(session.exec(select(TrainingCompletion.module_id).where(TrainingCompletion.user_id == user_id)).all())


def completions(session: Session, *, user_id: int) -> list[tuple[TrainingModule, datetime]]:
    """The modules the user has completed and when, most recent first."""
    rows = session.exec(select(TrainingModule, TrainingCompletion.completed_at)
                        .join(TrainingCompletion, TrainingCompletion.module_id == TrainingModule.id)
                        .where(TrainingCompletion.user_id == user_id)
                        .order_by(TrainingCompletion.completed_at.desc(), TrainingModule.title)).all()
    return [(module, at) for module, at in rows]


def missing_modules(session: Session, *, user_id: int, event_kind: str) -> list[TrainingModule]:
    """The modules an event of this kind requires that the user has not completed (by title).
    An unknown kind requires nothing."""
    done = (select(TrainingCompletion.id).where(TrainingCompletion.module_id == TrainingModule.id,
                                                TrainingCompletion.user_id == user_id))
    # required_for is a short space-separated list: padding both sides makes each word matchable
    # with LIKE, and EventKind values have no LIKE wildcards in them but "_" (escaped here).
    kind = str(event_kind)
    if kind not in {k.value for k in EventKind}:
        return []
    pattern = "% " + kind.replace("_", "\\_") + " %"
    padded = sa.literal(" ") + TrainingModule.required_for + sa.literal(" ")
    return list(session.exec(select(TrainingModule).where(padded.like(pattern, escape="\\"), ~sa.exists(done))
                             .order_by(TrainingModule.title, TrainingModule.id)).all())


def completed_by(session: Session, *, module_id: int) -> list[tuple[User, datetime]]:
    """Who completed the module and when, most recent first (organisers' view)."""
    rows = session.exec(select(User, TrainingCompletion.completed_at)
                        .join(TrainingCompletion, TrainingCompletion.user_id == User.id)
                        .where(TrainingCompletion.module_id == module_id)
                        .order_by(TrainingCompletion.completed_at.desc(), User.email)).all()
    return [(user, at) for user, at in rows]


def completion_counts(session: Session) -> dict[int, int]:
    """How many volunteers completed each module (modules nobody completed are absent)."""
    rows = session.exec(select(TrainingCompletion.module_id, sa.func.count(TrainingCompletion.id))
                        .group_by(TrainingCompletion.module_id)).all()
    return {module_id: count for module_id, count in rows}
