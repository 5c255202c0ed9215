"""The emails that carry a one-time link. Sent only after the link's transaction committed."""
from __future__ import annotations

from flask import request, url_for

from .. import mail
from ..config import settings
from .operations import Link

SUBJECTS = {"confirm": "Confirm your email to start volunteering",
            "sign_in": "Your sign-in link", "password": "Signing in"}
OPENERS = {"confirm": "Thanks for signing up to volunteer with {campaign}. Open this link to confirm "
                      "your email and sign in:",
           "sign_in": "Someone (we hope you) asked for a link to sign in to {campaign}. Open it to sign in:"}


def base_url() -> str:
    """Absolute links: [volunteers] public_base_url if set, else the address the request came to."""
    return (settings().volunteers.public_base_url or request.url_root).rstrip("/")


def link_url(link: Link) -> str:
    return base_url() + url_for("volunteers.confirm", token=link.token)


def send_link(link: Link) -> None:
    """Email the link (raises app.mail.MailError when the server refuses or cannot be reached)."""
    cfg = settings()
    if link.purpose == "password":
        body = (f"Someone (we hope you) asked to sign in to {cfg.campaign_name} with this email. Your account "
                f"has a password: sign in with it here:\n\n{base_url() + url_for('auth.login')}\n\n"
                "Forgotten it? Ask your organiser. If you did not ask, ignore this email.\n")
        mail.send(to=link.email, subject=SUBJECTS[link.purpose], body=body)
        return
    minutes = cfg.volunteers.magic_link_minutes
    body = (f"{OPENERS[link.purpose].format(campaign=cfg.campaign_name)}\n\n{link_url(link)}\n\n"
            f"The link works once, for {minutes} minutes. If you did not ask for it, ignore this email: "
            "nothing happens until the link is opened.\n")
    mail.send(to=link.email, subject=SUBJECTS[link.purpose], body=body)
