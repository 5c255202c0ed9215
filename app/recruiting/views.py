"""Find 10 more: the volunteer's link, QR code, share buttons and recruits (/me/recruit); the
recruitment chains and ladder for organisers and team leads; the organiser's share message."""
from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from .. import mail
from ..auth.access import is_user, team_member_ids
from ..auth.decorators import lead_or_organiser_required, roles_required
from ..clock import campaign_today
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import Forbidden, LegworkError, ValidationError
from ..extensions import login_manager
from ..models import utcnow
from ..params import MAX_ID, int_arg
from ..volunteers.mailer import base_url
from . import codes, invite, message
from . import operations as ops
from . import queries
from .blueprint import bp
from .forms import ButtonForm, ClaimForm, MessageForm, WelcomeForm
from .ladder import LABELS, NEXT_ASK, STAGES
from .mailer import send_welcome


def _volunteer() -> int | None:
    if not current_user.is_authenticated:
        return None
    if not is_user(current_user):
        raise Forbidden("Recruiting links are for volunteers with an account: sign up on the get-involved page.")
    return current_user.id


def _link(code: str) -> str:
    return base_url() + url_for("volunteers.get_involved", r=code)


def _svg(url: str, box: int) -> str:
    out = io.BytesIO()
    qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=box, border=2).save(out)
    return "<svg" + out.getvalue().decode().split("<svg", 1)[1]


def _errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs) or "Check the form and try again."


@bp.get("/me/recruit")
def mine():
    user_id = _volunteer()
    if user_id is None:
        return login_manager.unauthorized()
    session = get_session()
    code = queries.code_of(session, user_id=user_id) or write_transaction(
        session, lambda s: ops.ensure_code(s, user_id=user_id))
    link, name = _link(code), codes.first_name(current_user.name)
    text = message.render(message.current(session), name=name, link=link, code=codes.display(code))
    now = utcnow()
    recruits = queries.my_recruits(session, user_id=user_id, today=campaign_today(now), now=now)
    inviter, joined_at = queries.recruited_by(session, user_id=user_id)
    cfg = settings().recruiting
    may_claim = joined_at is not None and inviter is None and (now - joined_at).days < cfg.claim_days
    return render_template("recruiting/mine.html", code=codes.display(code), link=link, text=text,
                           share=message.share_links(text, subject=f"Join me at {settings().campaign_name}"),
                           qr=Markup(_svg(link, 6)), recruits=recruits, goal=cfg.goal, inviter=inviter,
                           may_claim=may_claim, claim_form=ClaimForm(formdata=None), button=ButtonForm(formdata=None),
                           welcome_form=WelcomeForm(formdata=None), nudge_days=cfg.nudge_days)


@bp.get("/me/recruit/qr.svg")
def qr():
    user_id = _volunteer()
    if user_id is None:
        return login_manager.unauthorized()
    session = get_session()
    code = queries.code_of(session, user_id=user_id) or write_transaction(
        session, lambda s: ops.ensure_code(s, user_id=user_id))
    return Response(_svg(_link(code), 12), mimetype="image/svg+xml",
                    headers={"Content-Disposition": 'inline; filename="my-recruiting-link.svg"'})


@bp.post("/me/recruit/new-code")
def new_code():
    user_id = _volunteer()
    if user_id is None:
        return login_manager.unauthorized()
    if not ButtonForm().validate_on_submit():
        flash(_errors(ButtonForm()), "error")
        return redirect(url_for("recruiting.mine"))
    code = write_transaction(get_session(), lambda s: ops.regenerate_code(s, user_id=user_id))
    flash(f"Your new code is {codes.display(code)}. The old link no longer credits you.", "success")
    return redirect(url_for("recruiting.mine"))


@bp.post("/me/recruit/claim")
def claim():
    user_id = _volunteer()
    if user_id is None:
        return login_manager.unauthorized()
    form, days = ClaimForm(), settings().recruiting.claim_days
    if not form.validate_on_submit():
        flash(_errors(form), "error")
        return redirect(url_for("recruiting.mine"))
    try:
        name = write_transaction(get_session(), lambda s: ops.claim(s, user_id=user_id, code=form.code.data,
                                                                   claim_days=days))
    except LegworkError as err:
        flash(err.message, "error")
        return redirect(url_for("recruiting.mine"))
    flash(f"Thank you: {name} is credited for inviting you.", "success")
    return redirect(url_for("recruiting.mine"))


@bp.post("/me/recruit/welcome")
def welcome():
    user_id = _volunteer()
    if user_id is None:
        return login_manager.unauthorized()
    form, cfg = WelcomeForm(), settings().recruiting
    if not form.validate_on_submit():
        flash(_errors(form), "error")
        return redirect(url_for("recruiting.mine"))
    try:
        recruit = write_transaction(get_session(), lambda s: ops.record_nudge(
            s, recruiter_id=user_id, recruit_id=form.recruit_id.data, every_days=cfg.nudge_days,
            per_day=cfg.nudges_per_day))
        send_welcome(recruit, recruiter_name=current_user.name)
    except mail.MailError:
        flash("The welcome email could not be sent just now: try again later.", "error")
    except LegworkError as err:
        flash(err.message, "error")
    else:
        flash(f"Welcome sent to {codes.short_name(recruit.name)}.", "success")
    return redirect(url_for("recruiting.mine") + "#recruits")


@bp.get("/recruiting")
@lead_or_organiser_required
def chains():
    page = int_arg(request.args, "page", "Page", default=1, maximum=MAX_ID // queries.PAGE)
    focus = int_arg(request.args, "from", "Volunteer")
    query = (request.args.get("q") or "").strip()
    if len(query) > 100:
        raise ValidationError(f"Search for a name of at most 100 characters (got {len(query)}).")
    session = get_session()
    now = utcnow()
    found = queries.chains(session, member_ids=team_member_ids(session, principal=current_user),
                           today=campaign_today(now), now=now, page=page, focus=focus, query=query)
    return render_template("recruiting/chains.html", chains=found, organiser=current_user.has_role("organiser"),
                           labels=LABELS, asks=NEXT_ASK, stages=STAGES)


@bp.route("/recruiting/message", methods=["GET", "POST"])
@roles_required("organiser")
def edit_message():
    session = get_session()
    form = MessageForm()
    status = 200
    if form.validate_on_submit():
        actor, body = current_user, form.body.data
        try:
            write_transaction(session, lambda s: ops.set_message(s, actor=actor, body=body))
        except LegworkError as err:
            form.body.errors = [err.message]
            status = 422
        else:
            flash("The share message is saved: every volunteer's buttons use it now.", "success")
            return redirect(url_for("recruiting.edit_message"))
    elif form.is_submitted():
        status = 422
    else:
        form.body.data = message.current(session)
    sample = message.render(form.body.data or "", name="Asha", link=_link("ABCD2345"), code="ABCD-2345")
    return render_template("recruiting/message.html", form=form, placeholders=message.PLACEHOLDERS,
                           sample=sample), status


@bp.after_app_request
def _remember_invite(response):
    """A recruiting link opened on this device: keep its code for a sign-up days later."""
    return invite.remember(response, get_session()) if invite.wants_remembering(response) else response
