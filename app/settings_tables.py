"""The typed tables of config.toml: one frozen dataclass per table, each field's default the
key's one default (``app.config`` builds, checks and serves them; read them as
``settings().canvass.max_batch``). A table's keys and units are documented in config.toml."""
from __future__ import annotations

from dataclasses import dataclass, field


class ConfigError(RuntimeError):
    """The configuration cannot run the app (e.g. default secret key in production)."""


@dataclass(frozen=True)
class Code:
    """An outcome (door) or disposition (phone) code and what it does."""

    code: str
    label: str
    contact: bool = False       # a person was reached
    dnc: bool = False           # writes the do-not-contact ledger
    final: bool = False         # no revisit / no more calls
    retry: bool = False         # phone: comes back after retry_after_minutes
    retire_number: bool = False  # phone: the number is wrong or dead
    schedule: bool = False      # phone: "call back at" a chosen time

    @classmethod
    def from_dict(cls, data: dict) -> Code:
        known = {f for f in cls.__dataclass_fields__}
        unknown = set(data) - known
        if unknown:
            raise ConfigError(f"unknown keys {sorted(unknown)} in code {data.get('code')!r}")
        return cls(**data)


def _setting(default, expect: str | None = None):
    """A typed key's one default; ``expect`` says what a bad value should have been."""
    return field(default=default, metadata={"expect": expect} if expect else {})


LIMITS = 'limits like "10 per minute;50 per hour"'


@dataclass(frozen=True)
class ServerSettings:
    proxies: int = _setting(0, "a whole number of reverse proxies (0-5)")


@dataclass(frozen=True)
class AuthSettings:
    login_rate_limit: str = _setting("10 per minute;50 per hour", LIMITS)
    login_account_rate_limit: str = _setting("5 per minute;20 per hour", LIMITS)
    login_account_failures: str = _setting("10 per minute", LIMITS)
    pin_rate_limit: str = _setting("10 per minute;50 per hour", LIMITS)
    pin_code_rate_limit: str = _setting("5 per minute;20 per hour", LIMITS)
    pin_code_failures: str = _setting("20 per minute", LIMITS)
    session_days: float = _setting(3.0, "a number of days between 0 and 31")
    session_max_days: float = _setting(14.0, "a number of days between 0 and 31")
    invite_valid_days: int = 7
    pin_length: int = 8


@dataclass(frozen=True)
class CanvassSettings:
    target_list_size: int = 60
    tolerance: float = 0.10
    metres_per_minute: float = 70.0
    seconds_per_door: float = 75.0
    max_batch: int = 100
    late_grace_hours: float = 72.0
    max_body_kb: int = 1024
    crossing_m: float = _setting(30.0, "metres from 0 to 1000")
    contact_consent_text: str = ("I agree that the campaign may keep this phone number or email address and use it "
                                 "to contact me about the election. I can ask for it to be deleted at any time.")

    def __post_init__(self) -> None:
        if not 0 <= self.crossing_m <= 1000:  # also refuses nan
            raise ConfigError(f"[canvass] crossing_m must be metres from 0 to 1000, not {self.crossing_m!r}")


@dataclass(frozen=True)
class PhonebankSettings:
    claim_minutes: int = 10
    calling_window: tuple[str, str] = _setting(("09:00", "21:00"), 'two times like ["09:00", "21:00"]')
    retry_after_minutes: int = 240
    max_passes: int = 3
    skip_minutes: int = 60
    sheet_size: int = 50
    script: str = ""


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str = ""
    auth_token: str = ""
    caller_id: str = ""
    public_base_url: str = ""
    api_base_url: str = ""


@dataclass(frozen=True)
class MapsSettings:
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = "&copy; OpenStreetMap contributors"


@dataclass(frozen=True)
class MailSettings:
    server: str = "127.0.0.1"
    port: int = 8025
    use_tls: bool = False
    use_ssl: bool = False
    username: str = ""
    password: str = ""
    sender: str = "Legwork <noreply@legwork.invalid>"
    timeout_s: int = 10


@dataclass(frozen=True)
class VolunteersSettings:
    public_base_url: str = ""          # links in emails; empty: the address the request came to
    magic_link_minutes: int = 60
    search_radius_km: float = 15.0     # the get-involved page's "near you"
    consent_text: str = ("I agree that the campaign may store my details and contact me about "
                         "volunteering. I can ask for them to be deleted at any time.")
    show_rankings: bool = False        # rank individual volunteers on team pages
    # The POSTs that send a link by email: per client address, and per email address (so nobody
    # can make Legwork flood someone's inbox from many addresses).
    mail_rate_limit: str = "5 per minute;30 per hour"
    mail_per_address_limit: str = "3 per 10 minutes;10 per day"


@dataclass(frozen=True)
class RecruitingSettings:
    goal: int = 10                     # "find 10 more": the recruits a volunteer aims for
    message: str = ("Hi! I'm volunteering with {campaign} and I'd love you to join me. "
                    "Sign up here: {link} (or enter my code {code}). {name}")
    cookie_days: int = 90              # a recruiting link opened on a device keeps its credit this long
    claim_days: int = 30               # a volunteer may type who invited them this long after signing up
    nudge_days: int = 7                # one welcome email per recruit this often...
    nudges_per_day: int = 10           # ...and at most this many a day per recruiter
    regular_weeks: int = 3             # "regular": a shift in this many of...
    regular_window_weeks: int = 6      # ...the last this many weeks


@dataclass(frozen=True)
class EventsSettings:
    email_reminder_hours: float = 24.0  # before the start
    sms_reminder_hours: float = 2.0     # SMS needs [twilio]; off without it
    checkin_opens_minutes: int = 60     # check-in opens this long before the start...
    checkin_closes_minutes: int = 30    # ...and closes this long after the end


@dataclass(frozen=True)
class PollingDaySettings:
    knockup_list_size: int = 40          # doors per knock-up list (a road group)
    strike_off_poll_seconds: int = 5     # how often an open knock-up list asks who has voted
    purge_after_days: int = 30           # polling-day data is purged this long after the poll
    lift_outcome: str = "needs_lift"     # the knock-up answer that asks the drivers for a lift
    # The chase page's statewide "ballots by status" table: past this many ballots it is counted at
    # most once per ballot_tally_seconds and shared (a state's count is a pass over every ballot).
    ballot_tally_above: int = _setting(50_000, "a whole number of ballots, 0 or more")
    ballot_tally_seconds: int = _setting(60, "a whole number of seconds, 1 or more")

    def __post_init__(self) -> None:
        if self.ballot_tally_above < 0:
            raise ConfigError(f"[pollingday] ballot_tally_above must be a whole number of ballots, 0 or more, "
                              f"not {self.ballot_tally_above!r}")
        if self.ballot_tally_seconds < 1:
            raise ConfigError(f"[pollingday] ballot_tally_seconds must be a whole number of seconds, 1 or more, "
                              f"not {self.ballot_tally_seconds!r}")


@dataclass(frozen=True)
class RelationalSettings:
    """People you know (app/relational). The script's placeholders: {first_name} (the volunteer's
    own name for their friend, first word), {name}, {volunteer_name}, {campaign}."""

    script: str = ("Hi {first_name}, it's {volunteer_name}. I'm helping {campaign} this election, and I'd love to "
                   "know what you think: is there an issue you care about? Are you planning to vote?")
    name_threshold: float = _setting(0.88, "a number from 0 to 1 (name similarity)")
    # Someone in the same postcode area (outward code) but another postcode needs a closer name.
    area_name_threshold: float = _setting(0.94, "a number from 0 to 1 (name similarity)")
    max_entries: int = 200               # people one volunteer may list


# What a volunteer can say after talking to someone they know, when config.toml has no
# [[relational.outcomes]]: the one place these defaults live.
DEFAULT_RELATIONAL_OUTCOMES = (
    Code(code="will_vote", label="Talked: will vote", contact=True),
    Code(code="talked", label="Talked", contact=True),
    Code(code="not_yet", label="Not yet"),
)


@dataclass(frozen=True)
class SelfServeSettings:
    """"Canvass near me" (app/nearme): who qualifies, and the defaults a team lead starts from."""

    training: tuple[str, ...] = ()       # slugs of the training modules a volunteer must have passed
    teams: tuple[str, ...] = ()          # names of the teams whose members may self-serve; empty: any team
    return_minutes: int = 45             # a new team's "back to the pool if nothing is recorded" time
    default_minutes: int = 60            # the form's first "minutes I have"
    default_km: float = 1.0              # the form's first "how far I will go"
    max_km: float = 10.0                 # the farthest anyone may ask for
    share_interval_s: int = 60           # a sharing phone posts its position this often
    rest_days: int = 7                   # a door knocked this recently is not cut into a new list
