"""Sign-up, one-time email links, and joining or leaving a team. Each function runs inside the
caller's write transaction (it may run more than once); email goes out after it commits."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..auth import operations as auth_ops
from ..errors import Conflict, LegworkError, NotFound
from ..recruiting.operations import credit
from ..models import INTERESTS, EmailToken, Team, TeamMember, User, VolunteerProfile, utcnow
from .areas import teams_covering
from .queries import postcode_place

PURPOSES = ("confirm", "sign_in")


class LinkUnusable(LegworkError):
    """A link that was good once: used, or expired."""

    status = 410
    kind = "link_unusable"


@dataclass(frozen=True)
class Link:
    """A link to email once the transaction that stored it has committed. Purpose "password":
    no token, only a reminder to sign in with the account's password."""

    email: str
    token: str | None
    purpose: str


@dataclass(frozen=True)
class SignUp:
    name: str
    email: str
    phone: str | None          # E.164
    postcode: str
    availability: str
    interests: tuple[str, ...]
    consent_text: str
    invite_code: str = ""      # a recruiting code: credits whoever it belongs to (app.recruiting)


def issue_link(session: Session, *, user: User, purpose: str, next_url: str, minutes: int) -> Link:
    """A new one-time link for ``user``: only the token's sha256 is stored."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    token = secrets.token_urlsafe(32)
    session.add(EmailToken(token_hash=auth_ops.token_hash(token), user_id=user.id, purpose=purpose,
                           next_url=next_url[:500], expires_at=utcnow() + timedelta(minutes=minutes)))
    session.flush()
    return Link(email=user.email, token=token, purpose=purpose)


def _existing_account(session: Session, *, user: User, next_url: str, minutes: int) -> Link:
    """What an account asked for by email gets. One with a password (an organiser, a canvasser
    with an invite) is not opened by email alone: it gets a reminder to sign in with it, since
    its voter data is worth more than a mailbox. One without gets a one-time link."""
    if user.password_hash:
        return Link(email=user.email, token=None, purpose="password")
    profile = session.get(VolunteerProfile, user.id)
    purpose = "confirm" if profile is not None and profile.email_confirmed_at is None else "sign_in"
    return issue_link(session, user=user, purpose=purpose, next_url=next_url, minutes=minutes)


def sign_up(session: Session, *, form: SignUp, next_url: str, minutes: int) -> Link | None:
    """A new volunteer (User with the volunteer role, no password, and a VolunteerProfile) who
    joins every team covering their postcode; the link confirms their email. An email that
    already has an account gets a sign-in link (or, with a password, a reminder) instead and
    nothing else changes (the page says the same either way); a deactivated one gets nothing."""
    email = auth_ops.check_email(form.email)
    existing = auth_ops.user_by_email(session, email=email)
    if existing is not None:
        if not existing.is_active:
            return None
        return _existing_account(session, user=existing, next_url=next_url, minutes=minutes)
    place = postcode_place(session, text=form.postcode)  # read again here: this may re-run
    interests = " ".join(i for i in INTERESTS if i in form.interests)
    user = User(email=email, name=" ".join(form.name.split())[:120], roles="volunteer", password_hash=None,
                phone=form.phone)
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
    except sa.exc.IntegrityError:  # the same email signed up a moment ago, in another request
        existing = auth_ops.user_by_email(session, email=email)
        if existing is None or not existing.is_active:
            return None
        return _existing_account(session, user=existing, next_url=next_url, minutes=minutes)
    session.add(VolunteerProfile(user_id=user.id, postcode=place.postcode, lat=place.lat, lon=place.lon,
                                 availability=form.availability.strip()[:500], interests=interests,
                                 consent_text=form.consent_text, consented_at=utcnow()))
    session.flush()
    credit(session, recruit_id=user.id, code=form.invite_code, how="sign-up")
    teams = teams_covering(session, lat=place.lat, lon=place.lon)
    for team_id in teams:
        session.add(TeamMember(team_id=team_id, user_id=user.id))
    audit(session, action="volunteer.sign_up", actor_user_id=user.id, actor_label="sign-up",
          target=f"user:{user.id}", detail={"teams": teams})
    return issue_link(session, user=user, purpose="confirm", next_url=next_url, minutes=minutes)


def request_link(session: Session, *, email: str, next_url: str, minutes: int) -> Link | None:
    """A sign-in (or, for an unconfirmed volunteer, a confirm) link for an active account; None
    for an unknown or deactivated email (the page does not say which)."""
    try:
        email = auth_ops.check_email(email)
    except LegworkError:
        return None
    user = auth_ops.user_by_email(session, email=email)
    if user is None or not user.is_active:
        return None
    return _existing_account(session, user=user, next_url=next_url, minutes=minutes)


def usable_token(session: Session, *, token: str) -> EmailToken:
    """The stored link for ``token`` if it may still be used; NotFound or LinkUnusable otherwise."""
    row = session.exec(select(EmailToken).where(EmailToken.token_hash == auth_ops.token_hash(token or ""))).first()
    user = session.get(User, row.user_id) if row is not None else None
    if row is None or user is None:
        raise NotFound("This link is not one we sent. Check you copied all of it, or ask for a new one below.")
    if row.used_at is not None:
        raise LinkUnusable("This link has already been used. Ask for a new one below.")
    if row.expires_at <= utcnow():
        raise LinkUnusable("This link has expired. Ask for a new one below.")
    if not user.is_active:
        raise LinkUnusable("This account is not active. Ask your organiser.")
    return row


def redeem_token(session: Session, *, token: str) -> tuple[User, str]:
    """Use the link once: mark it used, confirm the email (a link that arrived proves it), record
    the sign-in as the login form does. (user, where to go next)."""
    row = usable_token(session, token=token)
    now = utcnow()
    row.used_at = now
    session.add(row)
    profile = session.get(VolunteerProfile, row.user_id)
    if profile is not None and profile.email_confirmed_at is None:
        profile.email_confirmed_at = now
        session.add(profile)
    user = session.get(User, row.user_id)
    auth_ops.record_sign_in(session, email=user.email, user=user, refusal=None)
    session.flush()
    return user, row.next_url


def _team_and_membership(session: Session, *, user_id: int, team_id: int) -> tuple[Team, TeamMember | None]:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound("There is no such team.")
    return team, session.exec(select(TeamMember).where(TeamMember.team_id == team_id,
                                                       TeamMember.user_id == user_id)).first()


def join_team(session: Session, *, user_id: int, team_id: int) -> Team:
    team, member = _team_and_membership(session, user_id=user_id, team_id=team_id)
    if member is None:
        session.add(TeamMember(team_id=team_id, user_id=user_id))
        audit(session, action="team.join", actor_user_id=user_id, target=f"team:{team_id}")
    return team


def leave_team(session: Session, *, user_id: int, team_id: int) -> Team:
    team, member = _team_and_membership(session, user_id=user_id, team_id=team_id)
    if member is None:
        return team
    if member.is_lead:
        raise Conflict(f"You lead {team.name}: ask an organiser to hand the team to another lead before you leave it.")
    session.delete(member)
    audit(session, action="team.leave", actor_user_id=user_id, target=f"team:{team_id}")
    return team
