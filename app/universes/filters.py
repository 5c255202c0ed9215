"""A canonical universe tree (app/universes/tree.py) -> one SQL condition on ``people``.

Every condition becomes a test on the person's own row or ``people.id`` / ``people.household_id``
IN an uncorrelated subquery: each subquery runs once per statement (SQLite builds a temporary
index from it, PostgreSQL a hash), so a count is a single pass over people, however the
conditions combine. Subqueries never yield NULL and every test is TRUE or FALSE, never NULL:
``NOT`` of a SQL NULL is NULL, which would silently drop people from a negated condition.

Contact history is the household's: a knock reaches the door, and a call one of its people.
Undated history reads ``households.reached`` (reached: app/contacts/reach.py) or
``household_summaries`` (attempted; one row per household, app/contacts/summary.py) rather than
every contact event, and latest support ``person_supports`` (one row per person who answered);
dated history and outcomes read ``contact_events`` through their covering indexes.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import UnaryExpression

from ..config import Settings
from ..contacts.reach import values_never_reached, values_reached
from ..models import (Channel, ContactEvent, Household, HouseholdSummary, Person, PersonSupport, SurveyResponse,
                      VotingHistory, WalkListDoor)
from .tree import GROUPS

P = Person.__table__.c
H = Household.__table__.c
HS = HouseholdSummary.__table__.c
CE = ContactEvent.__table__.c
SR = SurveyResponse.__table__.c
PS = PersonSupport.__table__.c
VH = VotingHistory.__table__.c
DOORS = WalkListDoor.__table__.c


class _Unindexed(UnaryExpression):
    inherit_cache = True


def unindexed(column):
    """``(+ column)``: the same value, but no index on the column may drive the query. Without it
    SQLite (no ANALYZE statistics) may walk ``ix_people_household_id`` for every pair of values of
    two IN lists (people's ids x households' ids: 3,600 x 15,000 lookups, 12 s instead of 0.1 s).
    One plain pass over ``people``, probing each subquery once built, is always about as fast."""
    return _Unindexed(column, operator=operators.custom_op("+"), type_=column.type)


PID = unindexed(P.id)
HID = unindexed(P.household_id)


class MemberOf(sa.sql.expression.ColumnElement):
    """``column IN (query)``, but an EXISTS on PostgreSQL, which plans EXISTS and NOT EXISTS as
    semi- and anti-joins. Its NOT IN probes the subquery row by row once the subquery's hash
    outgrows work_mem: a state's "never reached at the door" (2.5 million households) ran for
    over six minutes instead of about a second. The columns compared are never NULL, so the two
    forms select the same rows."""

    type = sa.Boolean()
    inherit_cache = False  # built per tree; nothing to cache

    def __init__(self, column, query) -> None:
        self.column, self.query = column, query


@compiles(MemberOf)
def _member_in(element, compiler, **kw):
    return f"({compiler.process(element.column.in_(element.query), **kw)})"


@compiles(MemberOf, "postgresql")
def _member_exists(element, compiler, **kw):
    sub = element.query.subquery()
    return compiler.process(sa.exists(sa.select(sa.literal(1)).select_from(sub)
                                      .where(list(sub.c)[0] == indexed(element.column))), **kw)


def indexed(column):
    """``unindexed``'s column back: PostgreSQL's planner has the statistics to choose for itself, and
    a ward's universe then reads the ward's people by ``ix_people_household_id``, not all people."""
    return column.element if isinstance(column, _Unindexed) else column


def person_clause(tree: dict, *, settings: Settings, reach_shares: dict[int, float] | None = None) -> sa.ColumnElement[bool]:
    """The condition on ``people`` rows that selects the tree's people. reach_shares: each
    ``households.reached`` value's share of the households (app.contacts.reach.shares), if known."""
    return _Compiler(settings, reach_shares).node(tree)


def not_home_codes(settings: Settings) -> list[str]:
    """Door codes that reached nobody and closed nothing (the phone bank's "not home" rule)."""
    return [c.code for c in settings.codes(Channel.DOOR).values() if not (c.contact or c.final or c.dnc)]


def contact_codes(settings: Settings, channel: str) -> list[str]:
    return [c.code for c in settings.codes(channel).values() if c.contact]


class _Compiler:
    def __init__(self, settings: Settings, reach_shares: dict[int, float] | None = None):
        self.settings, self.tz, self.reach_shares = settings, ZoneInfo(settings.timezone), reach_shares

    def node(self, node: dict):
        kind = node["kind"]
        if kind in GROUPS:
            parts = [self.node(child) for child in node["of"]]
            if not parts:
                return sa.true() if kind == "and" else sa.false()
            return sa.and_(*parts) if kind == "and" else sa.or_(*parts)
        if kind == "not":
            return sa.not_(self.node(node["of"]))
        return getattr(self, f"_{kind}")(node)

    # ---- area -----------------------------------------------------------------------------------
    @staticmethod
    def _households(query) -> sa.ColumnElement[bool]:
        return MemberOf(HID, query)

    def _ward(self, node):
        return self._households(sa.select(H.id).where(H.ward_id.in_(node["ids"])))

    def _neighbourhood(self, node):
        return self._households(sa.select(H.id).where(H.neighbourhood_id.in_(node["ids"])))

    def _walk_list(self, node):
        return self._households(sa.select(DOORS.household_id).where(DOORS.walk_list_id.in_(node["ids"])))

    # ---- what they said -------------------------------------------------------------------------
    def _support(self, node):
        """From person_supports: each person's latest answer, folded as answers are stored (no row:
        no answer yet), so a count never ranks every answer."""
        parts = []
        if node["levels"]:
            parts.append(MemberOf(PID, sa.select(PS.person_id).where(PS.support_level.in_(node["levels"]))))
        if node["unknown"]:
            parts.append(sa.not_(MemberOf(PID, sa.select(PS.person_id))))
        return sa.or_(*parts)

    def _issue(self, node):
        padded = sa.literal("|") + SR.issues + sa.literal("|")
        matches = [padded.like(f"%|{_escape_like(issue)}|%", escape="\\") for issue in node["issues"]]
        return MemberOf(PID, sa.select(SR.person_id).where(SR.person_id.is_not(None), sa.or_(*matches)))

    def _flag(self, node):
        said = [SR[flag] == sa.true() for flag in node["flags"]]
        return MemberOf(PID, sa.select(SR.person_id).where(SR.person_id.is_not(None), sa.or_(*said)))

    # ---- contact history (the household's) ------------------------------------------------------
    def _history(self, node, *, reached: bool):
        channels = list(Channel) if node["channel"] == "any" else [Channel(node["channel"])]
        if node.get("from") is None and node.get("to") is None:
            if reached:  # households.reached says what the summaries' contacts > 0 say, by index
                return self._reach(channels, reached=True)
            return self._households(sa.select(HS.household_id).where(sa.or_(*(HS[f"{c}_events"] > 0 for c in channels))))
        per_channel = [sa.and_(CE.channel == channel, CE.code.in_(contact_codes(self.settings, channel)))
                       if reached else CE.channel == channel for channel in channels]
        conds = [sa.or_(*per_channel)]
        if node["from"] is not None:
            conds.append(CE.recorded_at >= self._midnight(date.fromisoformat(node["from"])))
        if node["to"] is not None:
            conds.append(CE.recorded_at < self._midnight(date.fromisoformat(node["to"]) + timedelta(days=1)))
        return self._households(sa.select(CE.household_id).where(*conds))

    def _midnight(self, day: date) -> datetime:
        """The UTC instant the campaign-local day begins."""
        return datetime.combine(day, time(), tzinfo=self.tz).astimezone(timezone.utc)

    def _reached(self, node):
        return self._history(node, reached=True)

    def _attempted(self, node):
        return self._history(node, reached=False)

    def _never_reached(self, node):
        channels = list(Channel) if node["channel"] == "any" else [Channel(node["channel"])]
        return self._reach(channels, reached=False)

    def _reach(self, channels, *, reached: bool):
        """The households reached (or never) on these channels, or NOT the others: whichever are
        fewer, when the statistics say (PostgreSQL hashes them). "Never reached at the door" as NOT
        (reached) hashed 2.25 million households of a state's 2.5 million; early in a campaign, the
        households never reached are the many. Both select the same: ``reached`` is never NULL."""
        wanted, others = values_reached(channels), values_never_reached(channels)
        if not reached:
            wanted, others = others, wanted
        shares = self.reach_shares or {}
        if sum(shares.get(v, 0) for v in wanted) > 0.5:
            return sa.not_(self._households(sa.select(H.id).where(H.reached.in_(others))))
        return self._households(sa.select(H.id).where(H.reached.in_(wanted)))

    def _not_home_last(self, node):
        return self._households(sa.select(HS.household_id).where(HS.door_code.in_(not_home_codes(self.settings))))

    def _outcome(self, node):
        codes, channel = node["codes"], node["channel"]
        if not node["latest"]:
            return self._households(sa.select(CE.household_id).where(CE.channel == channel, CE.code.in_(codes)))
        if channel == Channel.DOOR:  # the summary keeps the latest door code (ties: the greater code)
            return self._households(sa.select(HS.household_id).where(HS.door_code.in_(codes)))
        rank = sa.func.row_number().over(partition_by=CE.household_id, order_by=(CE.recorded_at.desc(), CE.code.desc()))
        latest = (sa.select(CE.household_id, CE.code, rank.label("rank"))
                  .where(CE.channel == channel)).subquery("latest_call")
        return self._households(sa.select(latest.c.household_id).where(latest.c.rank == 1, latest.c.code.in_(codes)))

    # ---- the person ----------------------------------------------------------------------------
    def _has_phone(self, node):
        return sa.and_(P.phone.is_not(None), P.phone_retired_at.is_(None))

    def _voted(self, node):
        return MemberOf(PID, sa.select(VH.person_id).where(VH.election_id == node["election_id"]))

    def _did_not_vote(self, node):
        return sa.not_(self._voted(node))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
