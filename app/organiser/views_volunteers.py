"""Volunteers: invite them, set their roles, deactivate and reactivate them (organisers only; a
team lead sees their teams' members, read-only)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from ..auth import operations as ops
from ..auth.access import team_member_ids
from ..auth.decorators import lead_or_organiser_required, roles_required
from ..auth.forms import ROLE_LABELS, ConfirmForm, InviteForm, RolesForm
from ..config import settings
from ..db import get_session, write_transaction
from ..errors import LegworkError
from ..params import MAX_ID, int_arg
from ..teams.queries import page_of_people
from .blueprint import bp

PAGE_SIZE = 100  # volunteers a page: a state campaign has thousands


def _page(invite_form: InviteForm | None = None, status: int = 200):
    session = get_session()
    members = team_member_ids(session, principal=current_user)  # None: an organiser sees everyone
    users, total, page = page_of_people(session, user_ids=members, page=int_arg(
        request.args, "page", "Page", default=1, maximum=MAX_ID // PAGE_SIZE), page_size=PAGE_SIZE)
    return render_template(
        "organiser/volunteers.html", users=users, total=total, page=page, page_size=PAGE_SIZE,
        can_manage=members is None,
        invites=ops.pending_invites(session) if members is None else [],
        invite_form=invite_form or InviteForm(formdata=None), button_form=ConfirmForm(), role_labels=ROLE_LABELS,
        valid_days=settings().auth.invite_valid_days,
    ), status


@bp.get("/volunteers")
@lead_or_organiser_required
def volunteers():
    return _page()


@bp.post("/volunteers/invite")
@roles_required("organiser")
def invite_volunteer():
    form = InviteForm()
    if not form.validate_on_submit():
        return _page(form, 422)
    email, roles, days, actor = form.email.data, form.roles.data, settings().auth.invite_valid_days, current_user
    try:
        invite, token = write_transaction(get_session(), lambda s: ops.create_invite(
            s, email=email, roles=roles, valid_days=days, actor=actor))
    except LegworkError as err:
        form.email.errors.append(err.message)
        return _page(form, err.status)
    # The token exists only in this response: shown once, as a link and as a QR code to scan.
    link = url_for("auth.accept_invite", token=token, _external=True)
    return render_template("organiser/volunteers_invite.html", invite=invite, link=link,
                           qr=Markup(ops.qr_svg(link)))


def _change(user_id: int, change, done: str):
    def work(s):
        user = ops.get_user(s, user_id=user_id)
        change(s, user)
        return user

    try:
        user = write_transaction(get_session(), work)
    except LegworkError as err:
        flash(err.message, "error")
    else:
        flash(done.format(user=user.name or user.email), "success")
    return redirect(url_for("organiser.volunteers"))


@bp.post("/volunteers/<int:user_id>/roles")
@roles_required("organiser")
def set_volunteer_roles(user_id: int):
    form = RolesForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs), "error")
        return redirect(url_for("organiser.volunteers"))
    return _change(user_id, lambda s, u: ops.set_roles(s, user=u, roles=form.roles.data, actor=current_user),
                   "Roles saved for {user}.")


@bp.post("/volunteers/<int:user_id>/deactivate")
@roles_required("organiser")
def deactivate_volunteer(user_id: int):
    return _change(user_id, lambda s, u: ops.set_active(s, user=u, active=False, actor=current_user),
                   "{user} is deactivated and signed out everywhere.")


@bp.post("/volunteers/<int:user_id>/reactivate")
@roles_required("organiser")
def reactivate_volunteer(user_id: int):
    return _change(user_id, lambda s, u: ops.set_active(s, user=u, active=True, actor=current_user),
                   "{user} can sign in again.")
