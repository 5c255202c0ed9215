"""A team lead's self-serve rules: on or off, which of the team's areas, which universe, and how
long a list may sit with nothing recorded before it goes back to the pool."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from ..audit import audit
from ..errors import NotFound, ValidationError
from ..models import TeamArea, TeamSelfServe, Universe, utcnow
from ..teams.operations import get_team

MIN_RETURN_MINUTES, MAX_RETURN_MINUTES = 5, 24 * 60


@dataclass(frozen=True)
class Pool:
    """Where a team's self-serve doors are: the areas both the team covers and the lead chose."""

    team_id: int
    ward_ids: frozenset[int]
    hood_ids: frozenset[int]
    universe_id: int | None
    return_minutes: int
    knocked_since: datetime | None = None  # doors knocked since then are resting: not cut again yet

    @property
    def empty(self) -> bool:
        return not self.ward_ids and not self.hood_ids


def _key(ward_id: int | None, hood_id: int | None) -> str:
    return f"ward:{ward_id}" if ward_id is not None else f"hood:{hood_id}"


def team_area_keys(session: Session, *, team_id: int) -> set[str]:
    return {_key(w, h) for w, h in session.exec(select(TeamArea.ward_id, TeamArea.neighbourhood_id)
                                                .where(TeamArea.team_id == team_id)).all()}


def rules_for(session: Session, *, team_id: int, default_return: int) -> TeamSelfServe:
    """The team's rules, or a team's first (off, no areas, the campaign's return time) unsaved."""
    get_team(session, team_id=team_id)
    found = session.get(TeamSelfServe, team_id)
    return found or TeamSelfServe(team_id=team_id, enabled=False, areas="", return_minutes=default_return)


def pool(session: Session, *, team_id: int, config) -> Pool:
    """``config``: the [selfserve] settings."""
    rules = rules_for(session, team_id=team_id, default_return=config.return_minutes)
    # A lead's choice outlives a change of the team's areas: only areas the team still covers count.
    keys = set(rules.areas.split()) & team_area_keys(session, team_id=team_id)
    wards = frozenset(int(k[5:]) for k in keys if k.startswith("ward:"))
    hoods = frozenset(int(k[5:]) for k in keys if k.startswith("hood:"))
    return Pool(team_id, wards, hoods, rules.universe_id, rules.return_minutes,
                utcnow() - timedelta(days=config.rest_days) if config.rest_days > 0 else None)


def save_rules(session: Session, *, team_id: int, enabled: bool, areas: list[str], universe_id: int | None,
               return_minutes: int, actor_id: int | None, default_return: int) -> TeamSelfServe:
    rules = rules_for(session, team_id=team_id, default_return=default_return)
    allowed = team_area_keys(session, team_id=team_id)
    chosen = sorted(set(areas or []))
    outside = [k for k in chosen if k not in allowed]
    if outside:
        raise ValidationError("Choose only areas your team covers.")
    if enabled and not chosen:
        raise ValidationError("Choose at least one area for self-serve canvassing, or leave it off.")
    if universe_id is not None and session.get(Universe, universe_id) is None:
        raise NotFound(f"Universe {universe_id} does not exist.")
    if isinstance(return_minutes, bool) or not isinstance(return_minutes, int) or \
            not MIN_RETURN_MINUTES <= return_minutes <= MAX_RETURN_MINUTES:
        raise ValidationError(f"The return time must be between {MIN_RETURN_MINUTES} and "
                              f"{MAX_RETURN_MINUTES} minutes.")
    rules.enabled, rules.areas, rules.universe_id = bool(enabled), " ".join(chosen), universe_id
    rules.return_minutes, rules.updated_by_id, rules.updated_at = return_minutes, actor_id, utcnow()
    session.add(rules)
    session.flush()
    audit(session, action="selfserve.rules", actor_user_id=actor_id, target=f"team:{team_id}",
          detail={"enabled": rules.enabled, "areas": chosen, "universe": universe_id, "return_minutes": return_minutes})
    return rules
