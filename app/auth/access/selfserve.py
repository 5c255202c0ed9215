"""Canvass near me: who may take a list from a team's self-serve pool.

A volunteer with an account who may walk a list, has passed the campaign's required training
([selfserve] training) and belongs to a team that has self-serve on (and, if [selfserve] teams
names some, is one of them). The answer says why not, so the page can tell them what to do.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from ...models import Team, TeamMember, TeamSelfServe, TrainingCompletion, TrainingModule
from .roles import is_user

SELF_SERVE_ROLES = ("volunteer", "canvasser", "organiser")  # who may be handed a walk list (walk_lists.ASSIGNABLE_ROLES)


@dataclass
class SelfServeAccess:
    team_ids: list[int] = field(default_factory=list)   # the pools they may take from, in id order
    why_not: str = ""                                    # empty when team_ids is not

    @property
    def allowed(self) -> bool:
        return bool(self.team_ids)


def selfserve_access(session: Session, *, principal, required_training: tuple[str, ...] = (),
                     team_names: tuple[str, ...] = ()) -> SelfServeAccess:
    if not is_user(principal) or not principal.has_role(*SELF_SERVE_ROLES):
        return SelfServeAccess(why_not="Canvass near me is for signed-up volunteers.")
    if required_training:
        passed = set(session.exec(select(TrainingModule.slug).join(
            TrainingCompletion, TrainingCompletion.module_id == TrainingModule.id).where(
            TrainingCompletion.user_id == principal.id, TrainingModule.slug.in_(required_training))).all())
        missing = [slug for slug in required_training if slug not in passed]
        if missing:
            titles = dict(session.exec(select(TrainingModule.slug, TrainingModule.title)
                                       .where(TrainingModule.slug.in_(missing))).all())
            names = ", ".join(f"“{titles.get(slug, slug)}”" for slug in missing)
            return SelfServeAccess(why_not=f"Pass the training first: {names}.")
    rows = session.exec(select(Team.id, Team.name, TeamSelfServe.enabled)
                        .join(TeamMember, TeamMember.team_id == Team.id)
                        .outerjoin(TeamSelfServe, TeamSelfServe.team_id == Team.id)
                        .where(TeamMember.user_id == principal.id).order_by(Team.id)).all()
    if not rows:
        return SelfServeAccess(why_not="Join a local team first: canvassing near you is run by your team.")
    allowed = [team_id for team_id, name, enabled in rows if enabled and (not team_names or name in team_names)]
    if not allowed:
        return SelfServeAccess(why_not="Your team has not opened self-serve canvassing yet: ask your team lead.")
    return SelfServeAccess(team_ids=allowed)
