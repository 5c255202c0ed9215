"""The survey on the caller's screen: the phone script of the call sheet's survey (the default
where none was chosen; config.toml's script before any survey exists), placeholders filled, and
its questions; and the caller's answers read back from the posted form."""
from __future__ import annotations

from sqlmodel import Session

from ..config import Settings
from ..models import CallAttempt, CallQueueEntry, Household, Person
from .kinds import Spec, fill_script
from .queries import current_specs, survey_for_sheet


def call_survey(session: Session, *, attempt: CallAttempt, person: Person, household: Household, caller_name: str,
                settings: Settings) -> tuple[str, list[Spec]]:
    entry = session.get(CallQueueEntry, attempt.queue_entry_id) if attempt.queue_entry_id else None
    survey = survey_for_sheet(session, sheet_id=entry.sheet_id if entry else None)
    template = survey.phone_script if survey else settings.phonebank.script
    script = fill_script(template, {"first_name": person.first_name or "there", "caller_name": caller_name,
                                    "campaign": settings.campaign_name, "street": household.street if household else ""})
    return script, current_specs(session, survey_id=survey.id) if survey else []


def posted_answers(form, specs: list[Spec]) -> dict[str, object]:
    """{version id: value} as the contact path takes them, from the call form's q-<version id> fields."""
    out: dict[str, object] = {}
    for spec in specs:
        name = f"q-{spec.version_id}"
        if spec.kind == "multiple":
            value = form.getlist(name)
        elif spec.kind == "yes_no":
            raw = form.get(name, "")
            value = {"yes": True, "no": False}.get(raw, raw or None)
        else:
            value = (form.get(name) or "").strip() or None
        if value not in (None, "", []):
            out[str(spec.version_id)] = value
    return out
