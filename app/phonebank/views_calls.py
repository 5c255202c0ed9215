"""Caller pages: home (next call), the call screen, its outcome form. Organiser pages live in
views_sheets.py, Twilio's webhooks in webhooks.py; all on this one blueprint (blueprint.py)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.access import require_households
from ..auth.decorators import roles_required
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import LegworkError
from ..models import Channel, Person, utcnow
from ..surveys.phone import call_survey, posted_answers
from ..surveys.queries import answers_by_event
from . import operations, progress, queries, queue, telephony
from .blueprint import bp
from .forms import ActionForm, BridgeForm, DispositionForm

CALLERS = ("caller", "organiser")
WAITING_CAP = 1000  # the caller's page counts the queue up to here ("1,000+"): a state's queue is 100,000s


@bp.get("/")
@roles_required(*CALLERS)
def index():
    session, now = get_session(), utcnow()
    mine = progress.caller_progress(session, settings=settings(), caller_id=current_user.id)
    return render_template(
        "phonebank/index.html", form=ActionForm(), now=now,
        current=queue.current_attempt(session, caller_id=current_user.id, now=now),
        waiting=queue.waiting(session, now=now, settings=settings(), caller_id=current_user.id, cap=WAITING_CAP),
        mine=mine[0] if mine else None,
    )


@bp.post("/next")
@roles_required(*CALLERS)
def next_call():
    if not ActionForm().validate_on_submit():
        flash("That button had expired. Try again.", "error")
        return redirect(url_for(".index"))
    return _claim_and_go()


def _claim_and_go():
    session, now = get_session(), utcnow()
    attempt = queue.claim(session, caller_id=current_user.id, now=now, settings=settings())
    if attempt is None:
        w = queue.waiting(session, now=now, settings=settings(), caller_id=current_user.id, cap=WAITING_CAP)
        reasons = []
        if w.skipped:
            minutes = settings().phonebank.skip_minutes
            reasons.append(f"{w.shown(w.skipped)} you skipped, back to you within {minutes} minutes")
        if w.outside_hours:
            reasons.append(f"{w.shown(w.outside_hours)} outside calling hours where they live")
        if w.later:
            reasons.append(f"{w.shown(w.later)} scheduled for later")
        flash("No one to call right now" + (f" ({'; '.join(reasons)})." if reasons else ": the queue is empty."),
              "info")
        return redirect(url_for(".index"))
    return redirect(url_for(".call", attempt_id=attempt.id))


def _call_context(session, attempt, *, form: DispositionForm | None = None):
    now, config = utcnow(), settings()
    person = session.get(Person, attempt.person_id)
    require_households(session, principal=current_user, household_ids={person.household_id})
    screen = queries.call_screen(session, attempt=attempt, settings=config)
    if form is None:
        form = DispositionForm(event_id=operations.new_event_id(), spoke_with=person.id)
    form.fill_choices(settings=config, people=screen.on_number)
    caller_name = (current_user.name or current_user.email.split("@")[0]).strip()
    script, questions = call_survey(session, attempt=attempt, person=person, household=screen.household,
                                    caller_name=caller_name, settings=config)
    return dict(
        attempt=attempt, person=screen.person, household=screen.household, entry=screen.entry,
        residents=screen.residents, on_number=screen.on_number, events=screen.events, responses=screen.responses,
        names=screen.names, script=script, questions=questions,
        answers=answers_by_event(session, event_ids=[e.id for e in screen.events]),
        form=form, zone=screen.zone, local=queue.local_time(screen.zone, now=now, settings=config),
        in_hours=queue.in_calling_window(screen.zone, now=now, settings=config),
        codes={"door": config.codes(Channel.DOOR), "phone": config.codes(Channel.PHONE)},
        support_labels=dict(config.support_scale),
        bridging=telephony.bridging_enabled(config),
        bridge_form=BridgeForm(caller_phone=getattr(current_user, "phone", None) or ""),
        action_form=ActionForm(), now=now,
    )


@bp.get("/call/<int:attempt_id>")
@roles_required(*CALLERS)
def call(attempt_id: int):
    session = get_session()
    attempt = operations.own_attempt(session, attempt_id=attempt_id, caller=current_user)
    return render_template("phonebank/call.html", **_call_context(session, attempt))


@bp.post("/call/<int:attempt_id>/outcome")
@roles_required(*CALLERS)
def disposition(attempt_id: int):
    session = get_session()
    attempt = operations.callers_own_attempt(session, attempt_id=attempt_id, caller=current_user)
    form = DispositionForm()
    context = _call_context(session, attempt, form=form)
    if not form.validate_on_submit():
        return render_template("phonebank/call.html", **context), 422
    call_back_at = None
    if form.call_back_at.data is not None:
        call_back_at = queue.to_utc(form.call_back_at.data, context["zone"], settings=settings())
    name = context["person"].full_name or "this person"
    try:
        write_transaction(session, lambda s: operations.record_disposition(
            s, attempt_id=attempt_id, caller=current_user, event_id=form.event_id.data,
            code=form.code.data, settings=settings(), now=utcnow(), notes=form.notes.data or "",
            spoke_with=form.spoke_with.data or None, support_level=form.support_level.data or None,
            issues=form.issues.data or [], volunteer_interest=form.volunteer_interest.data,
            call_back_at=call_back_at, answers=posted_answers(request.form, context["questions"]),
            asks={"poster": form.poster.data, "postal_vote": form.postal_vote.data, "follow_up": form.follow_up.data or ""},
        ))
    except LegworkError as err:
        session.rollback()
        form.code.errors = list(form.code.errors) + [err.message]
        attempt = operations.own_attempt(session, attempt_id=attempt_id, caller=current_user)
        return render_template("phonebank/call.html", **_call_context(session, attempt, form=form)), err.status
    label = settings().codes(Channel.PHONE)[form.code.data].label
    flash(f"Saved: {label} for {name}.", "success")
    if request.form.get("then") == "next":
        return _claim_and_go()
    return redirect(url_for(".index"))


@bp.post("/call/<int:attempt_id>/skip")
@roles_required(*CALLERS)
def skip(attempt_id: int):
    session = get_session()
    if not ActionForm().validate_on_submit():
        flash("That button had expired. Try again.", "error")
        return redirect(url_for(".call", attempt_id=attempt_id))
    write_transaction(session, lambda s: operations.skip_call(s, attempt_id=attempt_id, caller=current_user,
                                                              now=utcnow()))
    flash("Skipped: that number went back to the queue.", "info")
    return redirect(url_for(".index"))


@bp.post("/call/<int:attempt_id>/bridge")
@roles_required(*CALLERS)
def bridge(attempt_id: int):
    session = get_session()
    operations.callers_own_attempt(session, attempt_id=attempt_id, caller=current_user)
    form = BridgeForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(message, "error")
        return redirect(url_for(".call", attempt_id=attempt_id))
    try:
        operations.start_bridged_call(
            session, attempt_id=attempt_id, caller=current_user, caller_phone=form.caller_phone.data,
            settings=settings(), now=utcnow(),
            twiml_path=url_for(".twiml", attempt_id=attempt_id),
            status_path=url_for(".call_status", attempt_id=attempt_id),
        )
    except LegworkError as err:
        session.rollback()
        flash(err.message, "error")
        return redirect(url_for(".call", attempt_id=attempt_id))
    flash("Calling your phone now: answer it and you will be connected.", "success")
    return redirect(url_for(".call", attempt_id=attempt_id))
