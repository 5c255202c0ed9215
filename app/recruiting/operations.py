"""Recruiting writes: a volunteer's code, crediting a sign-up, a code typed later, the
organiser's message, welcome nudges. Each runs inside the caller's write transaction (it may
run more than once)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..errors import Conflict, NotFound, ValidationError
from ..models import RecruitCode, RecruitMessage, User, VolunteerProfile, WelcomeNudge, utcnow
from . import codes, message

MAX_CHAIN = 1000  # deeper than any real chain: a guard for the cycle check's walk


def ensure_code(session: Session, *, user_id: int) -> str:
    """The volunteer's code, made the first time they ask for it."""
    row = session.get(RecruitCode, user_id)
    if row is not None:
        return row.code
    return _store_new(session, user_id=user_id)


def regenerate_code(session: Session, *, user_id: int) -> str:
    """A new code (the old one, perhaps posted somewhere it should not be, stops crediting)."""
    old = session.get(RecruitCode, user_id)
    if old is not None:
        session.delete(old)
        session.flush()
    code = _store_new(session, user_id=user_id)
    audit(session, action="recruiting.new_code", actor_user_id=user_id, target=f"user:{user_id}")
    return code


def _store_new(session: Session, *, user_id: int) -> str:
    for _ in range(5):  # a collision is about one in 6.6e11 / volunteers: a retry, not an error
        code = codes.new_code()
        try:
            with session.begin_nested():
                session.add(RecruitCode(user_id=user_id, code=code))
                session.flush()
            return code
        except sa.exc.IntegrityError:
            # Two first visits at once (PostgreSQL): the other request's code stands.
            existing = session.execute(sa.select(RecruitCode.code).where(RecruitCode.user_id == user_id)).scalar()
            if existing is not None:
                return existing
    raise Conflict("Could not make a new code just now: try again.")


def credit(session: Session, *, recruit_id: int, code: str | None, how: str) -> int | None:
    """Credit ``recruit_id``'s sign-up to the owner of ``code``: their id, or None (junk, unknown
    or retired code, a deactivated recruiter, oneself, already credited, or a loop)."""
    found = codes.recruiter_for(session, code=code)
    profile = session.get(VolunteerProfile, recruit_id)
    if found is None or profile is None or profile.recruited_by_id is not None:
        return None
    recruiter_id = found[0]
    if recruiter_id == recruit_id or recruit_id in _ancestors(session, recruiter_id):
        return None
    profile.recruited_by_id = recruiter_id
    session.add(profile)
    audit(session, action="recruiting.credit", actor_user_id=recruit_id, target=f"user:{recruit_id}",
          detail={"recruited_by": recruiter_id, "how": how})
    return recruiter_id


def _ancestors(session: Session, user_id: int) -> set[int]:
    seen, current = set(), user_id
    while current is not None and current not in seen and len(seen) < MAX_CHAIN:
        seen.add(current)
        current = session.execute(sa.select(VolunteerProfile.recruited_by_id)
                                  .where(VolunteerProfile.user_id == current)).scalar_one_or_none()
    return seen


def claim(session: Session, *, user_id: int, code: str, claim_days: int) -> str:
    """A volunteer who signed up without the link (another device, a lost cookie) types the
    code of whoever invited them: the recruiter's first name, or a ValidationError saying why not."""
    profile = session.get(VolunteerProfile, user_id)
    if profile is None:
        raise NotFound("Only volunteers who signed up on the get-involved page can say who invited them.")
    if profile.recruited_by_id is not None:
        raise Conflict("You already have someone credited for inviting you.")
    if profile.created_at < utcnow() - timedelta(days=claim_days):
        raise Conflict(f"Codes can be entered within {claim_days} days of signing up.")
    found = codes.recruiter_for(session, code=code)
    if found is None:
        raise ValidationError("That is not a code we know: check it with the person who invited you.")
    if found[0] == user_id:
        raise ValidationError("That is your own code: share it with others instead.")
    if credit(session, recruit_id=user_id, code=code, how="typed") is None:
        raise ValidationError("You brought them in: they cannot be credited for bringing you.")
    return found[1]


def set_message(session: Session, *, actor, body: str) -> RecruitMessage:
    body = message.check(body)
    row = session.exec(select(RecruitMessage).order_by(RecruitMessage.id)).first() or RecruitMessage(body=body)
    row.body, row.updated_by_id, row.updated_at = body, actor.id, utcnow()
    session.add(row)
    audit(session, action="recruiting.message", actor_user_id=actor.id, actor_label=actor.email, target="recruit_message")
    return row


def record_nudge(session: Session, *, recruiter_id: int, recruit_id: int, every_days: int, per_day: int) -> User:
    """Note a welcome email about to go to one of the recruiter's recruits, within the limits;
    the recruit (to email once this commits). Recorded first, so two quick presses send one."""
    recruit = session.get(User, recruit_id)
    profile = session.get(VolunteerProfile, recruit_id)
    if recruit is None or profile is None or profile.recruited_by_id != recruiter_id or not recruit.is_active:
        raise NotFound("That is not someone who joined through you.")
    now = utcnow()
    last = session.execute(sa.select(sa.func.max(WelcomeNudge.sent_at)).where(
        WelcomeNudge.recruiter_id == recruiter_id, WelcomeNudge.recruit_id == recruit_id)).scalar_one()
    if last is not None and last > now - timedelta(days=every_days):
        raise Conflict(f"You welcomed {codes.first_name(recruit.name)} recently: one welcome every {every_days} days.")
    today = session.execute(sa.select(sa.func.count(WelcomeNudge.id)).where(
        WelcomeNudge.recruiter_id == recruiter_id, WelcomeNudge.sent_at > now - timedelta(days=1))).scalar_one()
    if today >= per_day:
        raise Conflict(f"That is {per_day} welcomes in a day: send the rest tomorrow.")
    session.add(WelcomeNudge(recruiter_id=recruiter_id, recruit_id=recruit_id, sent_at=now))
    audit(session, action="recruiting.welcome", actor_user_id=recruiter_id, target=f"user:{recruit_id}")
    return recruit
