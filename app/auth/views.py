"""Sign in and out, the account page, and accepting an invite."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..config import settings
from ..db import get_session, write_transaction
from ..errors import LegworkError
from ..models import User
from . import operations as ops
from . import throttle
from .forms import AcceptInviteForm, ChangePasswordForm, LoginForm
from .blueprint import bp



def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: never redirect off-site after sign-in.

    Browsers treat ``//host``, ``/\\host`` and ``\\\\host`` as other hosts and ignore tabs and
    newlines inside URLs, so anything but a plain absolute path is refused.
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(c) < 33 or c == "\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _account() -> str:
    return ops.normalise_email(request.form.get("email", ""))


# Limits: the client address; the (account, address) pair; and the account from devices it does
# not know, which slows down but never locks out (app/auth/throttle.py).
@bp.route("/login", methods=["GET", "POST"])
@throttle.guessing_limits("login", subject=_account, pair_scope="login-account", address_setting="login_rate_limit",
                          pair_setting="login_account_rate_limit", failures_setting="login_account_failures")
def login():
    form = LoginForm()
    next_url = safe_next(request.args.get("next"))
    status = 200
    if form.validate_on_submit():
        session = get_session()
        user, refusal = ops.check_credentials(session, email=form.email.data, password=form.password.data)
        # the failed attempt stays on record too
        write_transaction(session, lambda s: ops.record_sign_in(s, email=form.email.data, user=user, refusal=refusal))
        if refusal:
            form.password.errors.append(refusal)
            status = 401
        else:
            login_user(session.get(User, user.id))
            return redirect(next_url or url_for("home.index"))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form, next_url=next_url), status


@bp.post("/logout")
def logout():
    # CSRFProtect has already refused a POST without a valid token, so a link elsewhere cannot sign
    # a volunteer out mid-shift.
    if current_user.is_authenticated:
        user_id, label = current_user.id, current_user.email or current_user.get_id()
        write_transaction(get_session(), lambda s: ops.record_sign_out(s, user_id=user_id, label=label))
    logout_user()
    flash("You are signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """Ends every session of this account, this one too: for a lost phone or a borrowed laptop."""
    if not current_user.get_id().startswith("user:"):
        return redirect(url_for("auth.account"))
    user = current_user._get_current_object()
    write_transaction(get_session(), lambda s: ops.end_all_sessions(s, user=user))
    logout_user()
    flash("You are signed out on every device.", "success")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    form = ChangePasswordForm() if current_user.get_id().startswith("user:") else None
    return render_template("auth/account.html", form=form)


@bp.post("/account/password")
@login_required
def change_password():
    if not current_user.get_id().startswith("user:"):
        return redirect(url_for("auth.account"))
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user_id = current_user.id
        try:
            write_transaction(get_session(), lambda s: ops.change_password(
                s, user=ops.get_user(s, user_id=user_id), current=form.current.data, new=form.new.data))
        except LegworkError as err:
            form.current.errors.append(err.message)
        else:
            # The new generation ended every session; this one carries on under it.
            login_user(ops.get_user(get_session(), user_id=user_id))
            flash("Your password is changed. Any other device signed in as you is now signed out.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form), 422


@bp.route("/invite/<token>", methods=["GET", "POST"])
def accept_invite(token: str):
    session = get_session()
    invite = ops.usable_invite(session, token=token)  # unknown/used/expired: a clear error page
    form = AcceptInviteForm()
    status = 200
    if form.validate_on_submit():
        # The invite is checked again inside: the write may run more than once.
        user = write_transaction(session, lambda s: ops.accept_invite(s, token=token, name=form.name.data,
                                                                       password=form.password.data))
        if current_user.is_authenticated:
            logout_user()
        login_user(user)
        flash(f"Welcome, {user.name}. You are signed in.", "success")
        return redirect(url_for("home.index"))
    if request.method == "POST":
        status = 422
    return render_template("auth/accept_invite.html", form=form, invite=invite), status
