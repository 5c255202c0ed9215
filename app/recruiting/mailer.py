"""The welcome email a recruiter sends a recruit through Legwork (the recruiter never sees the
recruit's address). Sent only after the nudge's transaction committed."""
from __future__ import annotations

from flask import url_for

from .. import mail
from ..config import settings
from ..models import User
from ..volunteers.mailer import base_url
from .codes import first_name


def send_welcome(recruit: User, *, recruiter_name: str) -> None:
    cfg = settings()
    body = (f"Hi {first_name(recruit.name)},\n\n{first_name(recruiter_name)} is glad you joined {cfg.campaign_name} "
            f"and wanted to say welcome! The easiest way to start is a first shift near you, with people who "
            f"will show you how:\n\n{base_url() + url_for('volunteers.get_involved')}\n\n"
            f"Your volunteer page (sign in with your email, no password needed):\n"
            f"{base_url() + url_for('volunteers.home')}\n")
    mail.send(to=recruit.email, subject=f"{first_name(recruiter_name)} says welcome to {cfg.campaign_name}", body=body)
