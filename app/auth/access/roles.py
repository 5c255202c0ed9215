"""Who someone is, for access: an organiser, an account holder, a team's lead or member, an
event's host. The rules that read these live beside them in this package."""
from __future__ import annotations

from sqlmodel import Session, select

from ...errors import Forbidden
from ...models import TeamMember


def is_organiser(principal) -> bool:
    return bool(principal is not None and getattr(principal, "is_authenticated", False)
                and principal.has_role("organiser"))


def lead_team_ids(session: Session, *, principal) -> set[int]:
    """The teams the principal leads (a PIN joiner or a stranger leads none)."""
    if principal is None or not getattr(principal, "is_authenticated", False) or principal.has_role("pin"):
        return set()
    return set(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == principal.id,
                                                             TeamMember.is_lead.is_(True))).all())


def can_lead_team(session: Session, *, principal, team_id: int | None) -> bool:
    """May the principal run this team's patch (its events, lists, volunteers)? Organisers may
    run every team's; a team lead only their own. ``team_id`` None: organisers only."""
    if is_organiser(principal):
        return True
    return team_id is not None and team_id in lead_team_ids(session, principal=principal)


def is_user(principal) -> bool:
    """A signed-in account (a User row), not a PIN joiner nor a stranger."""
    return bool(principal is not None and getattr(principal, "is_authenticated", False)
                and not principal.has_role("pin") and getattr(principal, "id", None) is not None)


def may_tell(principal) -> bool:
    """Recording who has voted (POST /api/tellings): tellers and organisers, with an account."""
    return is_user(principal) and principal.has_role("teller", "organiser")


def may_take_training(principal) -> bool:
    """Training is recorded against a person: anyone signed in with an account (a PIN joiner has none)."""
    return is_user(principal)


def member_team_ids(session: Session, *, principal) -> set[int]:
    if not is_user(principal):
        return set()
    return set(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == principal.id)).all())


def may_create_events(session: Session, *, principal) -> bool:
    """Organisers and leads create events; a volunteer in a team may propose one."""
    return is_organiser(principal) or bool(lead_team_ids(session, principal=principal)) or (
        is_user(principal) and principal.has_role("volunteer") and bool(member_team_ids(session, principal=principal)))


def may_manage_event(session: Session, *, principal, event) -> bool:
    """Edit, cancel, run the admin page: organisers, the event team's leads, and its host."""
    return can_lead_team(session, principal=principal, team_id=event.team_id) or (
        is_user(principal) and event.host_id is not None and event.host_id == principal.id)


def require_training(principal) -> None:
    if not may_take_training(principal):
        raise Forbidden("Training is for volunteers with an account: ask your organiser for an invite.")


def may_edit_training(principal) -> bool:
    """Writing modules and seeing who completed them: organisers."""
    return is_organiser(principal)


def team_member_ids(session: Session, *, principal) -> set[int] | None:
    """Whom the principal may hand work to or see on the volunteers page: None (anyone) for an
    organiser, else the members (leads included) of the teams they lead."""
    if is_organiser(principal):
        return None
    team_ids = lead_team_ids(session, principal=principal)
    if not team_ids:
        return set()
    return set(session.exec(select(TeamMember.user_id).where(TeamMember.team_id.in_(team_ids))).all())


def may_lead(session: Session, *, principal) -> bool:
    """Organisers, and anyone leading at least one team: who may open the organiser's pages."""
    return is_organiser(principal) or bool(lead_team_ids(session, principal=principal))
