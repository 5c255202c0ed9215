"""Changes to training: organisers write modules; volunteers complete them. Each function runs
inside ``write_transaction`` (the caller's), validates what it is given and may be repeated."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..errors import Conflict, NotFound, ValidationError
from ..models import TrainingCompletion, TrainingModule, utcnow
from ..models.states import EventKind
from ..sql import on_conflict
from . import quiz as quizlib
from .queries import SLUG_MAX, SLUG_RE

TITLE_MAX = 120
BODY_MAX = 50_000           # a short module is a page or two; this is twenty
RESERVED_SLUGS = {"new"}    # /training/new is the organiser's form


@dataclass(frozen=True)
class ModuleFields:
    """What an organiser writes. ``quiz``: questions (see quiz.py); ``required_for``: EventKind values."""

    slug: str
    title: str
    body: str
    quiz: Sequence[quizlib.Question]
    required_for: Sequence[str]


def slug_problem(slug: str) -> str | None:
    if not slug:
        return "Give the module a slug (its address, e.g. knocking-on-a-door)."
    if len(slug) > SLUG_MAX:
        return f"Keep the slug under {SLUG_MAX} characters."
    if not SLUG_RE.fullmatch(slug):
        return "Use only lowercase letters, digits and single hyphens between them in the slug (e.g. phone-banking)."
    if slug in RESERVED_SLUGS:
        return f"“{slug}” is taken by Legwork itself: choose another slug."
    return None


def _checked(session: Session, fields: ModuleFields, *, module_id: int | None) -> dict:
    slug, title, body = (fields.slug or "").strip(), (fields.title or "").strip(), fields.body or ""
    problem = slug_problem(slug)
    if problem:
        raise ValidationError(problem)
    if not title:
        raise ValidationError("Give the module a title.")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Keep the title under {TITLE_MAX} characters.")
    if len(body) > BODY_MAX:
        raise ValidationError(f"Keep the text under {BODY_MAX:,} characters.")
    if "\x00" in title + body:
        raise ValidationError("The text contains a character that cannot be stored (NUL).")
    kinds = {str(k) for k in fields.required_for}
    unknown = sorted(kinds - {k.value for k in EventKind})
    if unknown:
        raise ValidationError(f"There is no kind of event called “{unknown[0]}”.")
    questions = quizlib.check([q.as_json() for q in fields.quiz])
    clash = session.exec(select(TrainingModule.id).where(TrainingModule.slug == slug)).first()
    if clash is not None and clash != module_id:
        raise Conflict(f"Another module already has the slug “{slug}”: choose another.")
    return {"slug": slug, "title": title, "body": body.replace("\r\n", "\n"), "quiz": quizlib.dump(questions),
            "required_for": " ".join(k.value for k in EventKind if k.value in kinds)}


def create_module(session: Session, *, fields: ModuleFields, actor_user_id: int | None = None,
                  actor_label: str = "") -> TrainingModule:
    module = TrainingModule(**_checked(session, fields, module_id=None), updated_at=utcnow())
    session.add(module)
    session.flush()
    audit(session, action="training.create", actor_user_id=actor_user_id, actor_label=actor_label,
          target=f"training_module:{module.id}", detail={"slug": module.slug})
    return module


def update_module(session: Session, *, module_id: int, fields: ModuleFields, actor_user_id: int | None = None) -> TrainingModule:
    module = session.get(TrainingModule, module_id)
    if module is None:
        raise NotFound("That training module no longer exists.")
    for name, value in _checked(session, fields, module_id=module_id).items():
        setattr(module, name, value)
    module.updated_at = utcnow()
    session.add(module)
    session.flush()
    audit(session, action="training.update", actor_user_id=actor_user_id,
          target=f"training_module:{module.id}", detail={"slug": module.slug})
    return module


def delete_module(session: Session, *, module_id: int, actor_user_id: int | None = None) -> str:
    """Delete the module and the record of who completed it; returns its title."""
    module = session.get(TrainingModule, module_id)
    if module is None:
        raise NotFound("That training module no longer exists.")
    title = module.title
    session.execute(sa.delete(TrainingCompletion).where(TrainingCompletion.module_id == module_id))
    session.delete(module)
    session.flush()
    audit(session, action="training.delete", actor_user_id=actor_user_id, target=f"training_module:{module_id}",
          detail={"slug": module.slug})
    return title


def complete_module(session: Session, *, module_id: int, user_id: int) -> bool:
    """Record that the user completed the module; True if this is new, False if it was already
    recorded (a second submit, a double tap, a retry: one row, the first time kept)."""
    if session.get(TrainingModule, module_id) is None:
        raise NotFound("That training module no longer exists.")
    table = TrainingCompletion.__table__
    stmt = on_conflict(session.connection(), table, name="training_completion",
                       build=lambda insert: insert.on_conflict_do_nothing(index_elements=["module_id", "user_id"])
                       .returning(table.c.id))
    # RETURNING, not rowcount: with PostgreSQL's implicit RETURNING a skipped row's rowcount is not 0
    row = session.execute(stmt, {"module_id": module_id, "user_id": user_id, "completed_at": utcnow()}).first()
    return row is not None


def seed_modules(session: Session) -> list[str]:
    """Create the starter modules (seed.py) whose slugs are missing; returns the slugs created.
    Existing modules, edited or not, are left exactly as they are."""
    from .seed import MODULES

    have = set(session.exec(select(TrainingModule.slug)).all())
    made = []
    for spec in MODULES:
        if spec["slug"] in have:
            continue
        fields = ModuleFields(slug=spec["slug"], title=spec["title"], body=spec["body"],
                              quiz=quizlib.check(spec["quiz"]), required_for=[str(k) for k in spec["required_for"]])
        create_module(session, fields=fields, actor_label="seed-training")
        made.append(spec["slug"])
    return made
