"""Fixed sets of state strings. StrEnum members equal their strings, so stored rows, JSON and
templates keep working unchanged; code compares and writes the members, never bare strings."""
from enum import StrEnum


class ListStatus(StrEnum):
    """A walk list: active (its households are reserved) or released (free for re-cutting)."""

    ACTIVE = "active"
    RELEASED = "released"


class Channel(StrEnum):
    """How a contact was made: at the door (canvass), by phone (phone bank), or by a volunteer
    talking to someone they know (relational organising, app/relational)."""

    DOOR = "door"
    PHONE = "phone"
    RELATIONAL = "relational"


class DncChannel(StrEnum):
    """What a do-not-contact ledger row blocks: one channel, or all of them."""

    DOOR = "door"
    PHONE = "phone"
    ALL = "all"


class QueueStatus(StrEnum):
    """A live phone-queue entry: queued (callable from next_call_at), claimed (a caller has it until
    claim_expires_at), done, or retired (the number is wrong or dead)."""

    QUEUED = "queued"
    CLAIMED = "claimed"
    DONE = "done"
    RETIRED = "retired"


class EventKind(StrEnum):
    CANVASS = "canvass"
    PHONE_BANK = "phone_bank"
    TRAINING = "training"
    SOCIAL = "social"
    COMMUNITY = "community"      # action beyond the campaign: a clean-up, a food bank shift
    TELLING = "telling"          # polling day: tellers' shifts outside a station
    KNOCKING_UP = "knocking_up"  # polling day: knocking up pledges who have not voted


class EventStatus(StrEnum):
    """proposed (by a volunteer, awaiting a team lead), approved (public), cancelled."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    CANCELLED = "cancelled"


class RsvpStatus(StrEnum):
    GOING = "going"
    CANCELLED = "cancelled"


class LiftStatus(StrEnum):
    """A lift to the polls: requested, claimed by one driver, then done (or cancelled)."""

    REQUESTED = "requested"
    CLAIMED = "claimed"
    DONE = "done"
    CANCELLED = "cancelled"
