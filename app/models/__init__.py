"""SQLModel tables, one module per group. Datetimes are aware UTC (``utcnow()``; SQLModel's
UTCDateTime stores them and gives them back as UTC on both engines); geometry is GeoJSON text (no PostGIS
needed, and shapely reads it directly)."""
from .base import utcnow
from .users import User, Invite, ROLES
from .areas import Ward, Neighbourhood
from .people import Household, Person
from .turf import WalkList, WalkListDoor, WalkListRemovedDoor, Assignment, ListPin
from .contacts import ContactEvent, SurveyResponse, DoNotContact
from .summary import ActivityArea, ActivityDay, ActivityTotal, ActivityHour, AreaCoverage, HouseholdSummary, PersonSupport
from .calls import CallSheet, CallSheetEntry, CallQueueEntry, CallAttempt
from .audit import AuditEntry
from .refusals import RefusedOutcome
from .volunteers import INTERESTS, EmailToken, PostcodeCentroid, VolunteerProfile
from .teams import Team, TeamArea, TeamMember
from .events import Event, EventShift, EventWork, ReminderOptOut, Rsvp
from .training import TrainingCompletion, TrainingModule
from .pollingday import (CommitteeRoom, CommitteeRoomDistrict, Election, Elector, PollingStation, StationDistrict,
                         BallotStatus, BallotTally, KnockupRound, LiftRequest, Telling, Voted, VotingHistory)
from .universes import Universe
from .recruiting import RecruitCode, RecruitMessage, WelcomeNudge
from .relational import RelationalEntry, RelationalRejection
from .streets import StreetLineRow
from .surveys import (ListSurvey, Question, QuestionVersion, SheetSurvey, SupportValue, Survey, SurveyAnswer,
                      SurveyItem)
from .selfserve import SelfServeCheckout, TeamSelfServe, WalkPosition
from .fixes import FollowUp, PersonFix
from .states import Channel, DncChannel, EventKind, EventStatus, LiftStatus, ListStatus, QueueStatus, RsvpStatus

__all__ = [
    "utcnow", "User", "Invite", "ROLES", "Ward", "Neighbourhood", "Household", "Person",
    "WalkList", "WalkListDoor", "WalkListRemovedDoor", "Assignment", "ListPin", "ContactEvent", "SurveyResponse",
    "DoNotContact", "HouseholdSummary", "ActivityDay", "ActivityArea", "ActivityTotal", "AreaCoverage", "ActivityHour", "CallSheet", "CallSheetEntry",
    "CallQueueEntry", "CallAttempt", "AuditEntry", "RefusedOutcome", "Channel", "DncChannel", "ListStatus",
    "QueueStatus", "LiftStatus", "INTERESTS", "EmailToken", "PostcodeCentroid", "VolunteerProfile", "Team", "TeamArea",
    "TeamMember", "Event", "EventShift", "EventWork", "ReminderOptOut", "Rsvp", "TrainingCompletion",
    "TrainingModule", "EventKind", "EventStatus", "RsvpStatus", "CommitteeRoom", "CommitteeRoomDistrict", "Election",
    "Elector", "PollingStation", "StationDistrict", "Telling", "Voted", "LiftRequest",
    "KnockupRound", "BallotStatus", "BallotTally", "VotingHistory", "Universe", "PersonSupport", "PersonFix", "FollowUp",
    "RecruitCode", "RecruitMessage", "WelcomeNudge",
    "RelationalEntry", "RelationalRejection", "StreetLineRow",
    "SupportValue", "Question", "QuestionVersion", "Survey", "SurveyItem", "ListSurvey", "SheetSurvey", "SurveyAnswer",
    "SelfServeCheckout", "TeamSelfServe", "WalkPosition",
]
