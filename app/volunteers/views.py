"""The public side: the get-involved page, sign-up, the emailed links and "email me a link"."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from .. import mail
from ..auth import operations as auth_ops
from ..auth.views import safe_next
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import NotFound, ValidationError
from ..extensions import limiter
from ..models import INTERESTS, EventKind, utcnow
from ..recruiting import invite as invites
from . import operations as ops
from . import queries
from .blueprint import bp
from .forms import INTEREST_LABELS, LinkForm, SignUpForm
from .mailer import send_link

KIND_LABELS = {EventKind.CANVASS: "Door knocking", EventKind.PHONE_BANK: "Phone bank",
               EventKind.TRAINING: "Training", EventKind.SOCIAL: "Social", EventKind.COMMUNITY: "Community action",
               EventKind.TELLING: "Telling (polling day)", EventKind.KNOCKING_UP: "Knocking up (polling day)"}


def _email_key() -> str:
    return "volunteer-mail:" + auth_ops.normalise_email(request.form.get("email", ""))[:254]


def mail_limits(view):
    """The POSTs that send email: per client address, and per email address across every client
    (shared by sign-up and "email me a link", so neither is a way round the other)."""
    view = limiter.shared_limit(lambda: settings().volunteers.mail_per_address_limit, "volunteer-mail-email",
                                methods=["POST"], key_func=_email_key)(view)
    view = limiter.shared_limit(lambda: settings().volunteers.mail_rate_limit, "volunteer-mail-address",
                                methods=["POST"])(view)
    return view


def _next_url() -> str:
    return safe_next(request.args.get("next")) or ""


@bp.get("/get-involved")
def get_involved():
    session = get_session()
    postcode = request.args.get("postcode", "")[:40]
    context = {"postcode": postcode, "place": None, "teams": [], "events": [], "error": None,
               "kinds": KIND_LABELS, "maps": settings().maps, "radius_km": settings().volunteers.search_radius_km}
    context["invite"] = invites.incoming(session)
    status = 200
    try:
        place = queries.find_place(session, postcode=postcode, lat=request.args.get("lat"),
                                   lon=request.args.get("lon"))
    except ValidationError as err:
        context["error"], status, place = err.message, 422, None
    if place is not None:
        context.update(place=place, teams=queries.local_teams(session, lat=place.lat, lon=place.lon),
                       events=queries.events_near(session, lat=place.lat, lon=place.lon,
                                                  radius_km=context["radius_km"], now=utcnow()))
    return render_template("volunteers/get_involved.html", **context), status


def _check_email_page(*, email: str, link, next_url: str):
    """Sent (or not): the same page whether or not the email has an account."""
    failed = False
    if link is not None:
        try:
            send_link(link)
        except mail.MailError:
            failed = True
    form = LinkForm(formdata=None, data={"email": email})
    return render_template("volunteers/check_email.html", email=email, failed=failed, form=form, next_url=next_url)


@bp.route("/get-involved/sign-up", methods=["GET", "POST"])
@mail_limits
def signup():
    next_url = _next_url()
    form = SignUpForm()
    if request.method == "GET":
        form.postcode.data = request.args.get("postcode", "")[:20]
        interest = request.args.get("interest")
        form.interests.data = [interest] if interest in INTERESTS else []
        invite = invites.incoming(get_session())
        form.invite_code.data = invite.shown if invite else ""
    if form.validate_on_submit():
        data = ops.SignUp(name=form.name.data, email=form.email.data, phone=form.e164, postcode=form.postcode.data,
                          availability=form.availability.data or "", interests=tuple(form.interests.data or ()),
                          consent_text=settings().volunteers.consent_text, invite_code=form.invite_code.data or "")
        minutes = settings().volunteers.magic_link_minutes
        link = write_transaction(get_session(), lambda s: ops.sign_up(s, form=data, next_url=next_url,
                                                                      minutes=minutes))
        return _check_email_page(email=auth_ops.normalise_email(form.email.data), link=link, next_url=next_url)
    status = 422 if request.method == "POST" else 200
    return render_template("volunteers/signup.html", form=form, next_url=next_url, labels=INTEREST_LABELS,
                           invite=invites.lookup(get_session(), form.invite_code.data)), status


def _link_problem(err):
    form = LinkForm()
    return render_template("volunteers/link_problem.html", message=err.message, form=form), err.status


@bp.route("/get-involved/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """GET only shows a button (a mail scanner that fetches the link uses nothing up); the page's
    script presses it in a browser. The POST uses the link and signs in."""
    session = get_session()
    try:
        if request.method == "GET":
            ops.usable_token(session, token=token)
            return render_template("volunteers/confirm.html", token=token)
        user, next_url = write_transaction(session, lambda s: ops.redeem_token(s, token=token))
    except (NotFound, ops.LinkUnusable) as err:
        return _link_problem(err)
    if current_user.is_authenticated:
        logout_user()
    login_user(user)
    return redirect(safe_next(next_url) or url_for("volunteers.home"))


@bp.route("/get-involved/sign-in", methods=["GET", "POST"])
@mail_limits
def sign_in_link():
    next_url = _next_url()
    form = LinkForm()
    if form.validate_on_submit():
        minutes = settings().volunteers.magic_link_minutes
        link = write_transaction(get_session(), lambda s: ops.request_link(s, email=form.email.data, next_url=next_url,
                                                                           minutes=minutes))
        return _check_email_page(email=auth_ops.normalise_email(form.email.data), link=link, next_url=next_url)
    status = 422 if request.method == "POST" else 200
    return render_template("volunteers/sign_in.html", form=form, next_url=next_url), status
