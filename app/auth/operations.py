"""Accounts: sign-in checks, users, roles and invites. Views, CLI commands and tests call these.

Every function takes an explicit session and leaves committing to the caller, so a change and
its audit entry land in one transaction.
"""
from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..audit import audit
from ..errors import Conflict, LegworkError, NotFound, ValidationError
from ..models import ROLES, Invite, User, utcnow

MIN_PASSWORD_LENGTH = 10


class InviteUnusable(LegworkError):
    """The invite link was already used or has expired."""

    status = 410
    kind = "gone"


def _hash_method() -> str:
    # werkzeug's scrypt defaults; the test suite sets cheaper scrypt parameters to stay fast.
    return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_hash_method())


@functools.lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """Checked against when the email is unknown, so a wrong email costs as long as a wrong
    password and response times do not reveal who has an account."""
    return generate_password_hash("legwork-no-such-user", method=method)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_email(email: str) -> str:
    email = normalise_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or any(c.isspace() for c in email):
        raise ValidationError(f"{email or 'an empty value'!r} is not an email address")
    return email


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.")


def check_roles(roles) -> str:
    """Validate and normalise roles to the stored form: space-separated, in ROLES order."""
    chosen = set(roles or ())
    unknown = sorted(chosen - set(ROLES))
    if unknown:
        raise ValidationError(f"unknown role {unknown[0]!r}: choose from {', '.join(ROLES)}")
    if not chosen:
        raise ValidationError("Choose at least one role.")
    return " ".join(r for r in ROLES if r in chosen)


def user_by_email(session: Session, *, email: str) -> User | None:
    return session.exec(select(User).where(User.email == normalise_email(email))).first()


def get_user(session: Session, *, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("There is no such volunteer.")
    return user


def check_credentials(session: Session, *, email: str, password: str) -> tuple[User | None, str | None]:
    """(user, None) when the password is right and the account active, else (user or None, reason)."""
    email = normalise_email(email)
    user = user_by_email(session, email=email)
    stored = user.password_hash if user is not None and user.password_hash else _dummy_hash(_hash_method())
    ok = check_password_hash(stored, password or "") and user is not None and bool(user.password_hash)
    if ok and not user.is_active:
        # Only someone who knows the password learns the account exists but is switched off.
        return user, "This account has been deactivated. Ask your organiser if that is a mistake."
    if not ok:
        return (user if user is not None else None), "That email and password do not match an account."
    return user, None


def record_sign_in(session: Session, *, email: str, user: User | None, refusal: str | None) -> None:
    email = normalise_email(email)
    if refusal:
        reason = "deactivated" if user is not None and not user.is_active and "deactivated" in refusal else "bad credentials"
        audit(session, action="auth.login_failed", actor_user_id=user.id if user else None, actor_label=email,
              detail={"reason": reason})
        return
    user = session.get(User, user.id)
    user.last_login_at = utcnow()
    session.add(user)
    audit(session, action="auth.login", actor_user_id=user.id, actor_label=email)


def record_sign_out(session: Session, *, user_id: int | None, label: str) -> None:
    audit(session, action="auth.logout", actor_user_id=user_id, actor_label=label)


def create_user(session: Session, *, email: str, roles, password: str, name: str = "",
                actor_label: str = "cli") -> User:
    email = check_email(email)
    role_text = check_roles(roles)
    check_password(password)
    if user_by_email(session, email=email) is not None:
        raise Conflict(f"{email} already has an account; use set-roles to change their roles")
    user = User(email=email, name=name.strip()[:120], roles=role_text, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    audit(session, action="user.create", actor_label=actor_label, target=f"user:{user.id}",
          detail={"email": email, "roles": role_text})
    return user


def change_password(session: Session, *, user: User, current: str, new: str) -> None:
    if not user.password_hash or not check_password_hash(user.password_hash, current or ""):
        raise ValidationError("Your current password is not right.")
    check_password(new)
    user.password_hash = hash_password(new)
    _next_generation(user)  # a copied cookie, or a phone left signed in somewhere, stops working
    session.add(user)
    audit(session, action="user.password_change", actor_user_id=user.id, actor_label=user.email,
          target=f"user:{user.id}")


def _next_generation(user: User) -> None:
    user.session_generation = (user.session_generation or 0) + 1


def end_all_sessions(session: Session, *, user: User) -> None:
    """Every session of ``user``, on any device, stops loading the user ("sign out everywhere")."""
    _next_generation(user)
    session.add(user)
    audit(session, action="auth.sign_out_everywhere", actor_user_id=user.id, actor_label=user.email,
          target=f"user:{user.id}")


def _active_organisers(session: Session) -> list[int]:
    rows = session.exec(select(User).where(User.is_active.is_(True))).all()
    return [u.id for u in rows if u.has_role("organiser")]


def _keeps_an_organiser(session: Session, *, user: User, actor: User | None, losing: bool) -> None:
    if not losing or not user.has_role("organiser"):
        return
    if actor is not None and actor.id == user.id:
        raise ValidationError("You cannot remove your own organiser role or deactivate yourself: "
                              "ask another organiser.")
    if [uid for uid in _active_organisers(session) if uid != user.id] == []:
        raise ValidationError("That is the last active organiser; make someone else an organiser first.")


def set_roles(session: Session, *, user: User, roles, actor: User | None = None, actor_label: str = "") -> User:
    role_text = check_roles(roles)
    losing = "organiser" not in role_text.split()
    _keeps_an_organiser(session, user=user, actor=actor, losing=losing)
    before = user.roles
    user.roles = role_text
    session.add(user)
    audit(session, action="role.change", actor_user_id=actor.id if actor else None,
          actor_label=actor_label or (actor.email if actor else "cli"), target=f"user:{user.id}",
          detail={"email": user.email, "from": before, "to": role_text})
    return user


def set_active(session: Session, *, user: User, active: bool, actor: User | None = None,
               actor_label: str = "") -> User:
    if user.is_active == active:
        return user
    _keeps_an_organiser(session, user=user, actor=actor, losing=not active)
    user.is_active = active
    session.add(user)
    audit(session, action="user.reactivate" if active else "user.deactivate",
          actor_user_id=actor.id if actor else None, actor_label=actor_label or (actor.email if actor else "cli"),
          target=f"user:{user.id}", detail={"email": user.email})
    return user


# ---- invites --------------------------------------------------------------------------------
def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invite(session: Session, *, email: str, roles, valid_days: int, actor: User | None = None
                  ) -> tuple[Invite, str]:
    """A new invite and its one-time token (shown once; only its hash is stored)."""
    email = check_email(email)
    role_text = check_roles(roles)
    existing = user_by_email(session, email=email)
    if existing is not None and existing.is_active and existing.password_hash:
        raise Conflict(f"{email} already has an account: change their roles in the list below instead.")
    token = secrets.token_urlsafe(32)
    invite = Invite(token_hash=token_hash(token), email=email, roles=role_text,
                    created_by_id=actor.id if actor else None,
                    expires_at=utcnow() + timedelta(days=int(valid_days)))
    session.add(invite)
    session.flush()
    audit(session, action="invite.create", actor_user_id=actor.id if actor else None,
          actor_label=actor.email if actor else "cli", target=f"invite:{invite.id}",
          detail={"email": email, "roles": role_text})
    return invite, token


def usable_invite(session: Session, *, token: str) -> Invite:
    invite = session.exec(select(Invite).where(Invite.token_hash == token_hash(token or ""))).first()
    if invite is None:
        raise NotFound("This invite link is not valid. Check you copied all of it, or ask your organiser "
                       "for a new one.")
    if invite.used_at is not None:
        raise InviteUnusable("This invite link has already been used. Sign in instead, or ask your "
                             "organiser for a new invite.")
    if invite.expires_at <= utcnow():
        raise InviteUnusable("This invite link has expired. Ask your organiser for a new one.")
    return invite


def accept_invite(session: Session, *, token: str, name: str, password: str) -> User:
    """Create (or reactivate) the invited user with the invite's roles; the token then dies."""
    invite = usable_invite(session, token=token)
    check_password(password)
    name = (name or "").strip()
    if not name:
        raise ValidationError("Please tell us your name.")
    existing = user_by_email(session, email=invite.email)
    if existing is not None and existing.is_active and existing.password_hash:
        # Made some other way since the invite was sent: the link must not reset their password.
        raise InviteUnusable(f"{invite.email} already has an account. Sign in instead.")
    now = utcnow()
    # Conditional update: of two people racing with the same link, exactly one wins.
    claimed = session.execute(
        sa.update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=now)
    ).rowcount
    if claimed != 1:
        raise InviteUnusable("This invite link has already been used.")
    user = existing or User(email=invite.email)
    user.name = name[:120]
    user.roles = invite.roles
    user.password_hash = hash_password(password)
    user.is_active = True
    if existing is not None:
        _next_generation(user)  # a new password for an old account: its old sessions end too
    session.add(user)
    session.flush()
    session.execute(sa.update(Invite).where(Invite.id == invite.id).values(user_id=user.id))
    audit(session, action="invite.accept", actor_user_id=user.id, actor_label=user.email,
          target=f"invite:{invite.id}", detail={"roles": invite.roles})
    return user


def pending_invites(session: Session) -> list[Invite]:
    return list(session.exec(
        select(Invite).where(Invite.used_at.is_(None), Invite.expires_at > utcnow()).order_by(Invite.created_at.desc())
    ).all())


def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code (markup, not script: allowed by the CSP)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    return image.to_string(encoding="unicode")
