"""Outgoing email: the only module that talks SMTP (through Flask-Mailman), as telephony.py is
for Twilio. Settings come from ``[mail]`` in config.toml; nothing connects at import time.

Callers send after their write transaction has committed: a slow or absent mail server must
never hold a database write open, and a message is only sent about something that is stored.
"""
from __future__ import annotations

import smtplib
import socket

from flask import Flask
from flask_mailman import EmailMessage, Mail

from .config import settings
from .errors import LegworkError

mail = Mail()


class MailError(LegworkError):
    """The mail server refused the message or could not be reached: nothing was sent."""

    status = 502
    kind = "mail"


def init_app(app: Flask) -> None:
    cfg = settings(app).mail
    app.config.update(
        MAIL_SERVER=cfg.server, MAIL_PORT=cfg.port, MAIL_USE_TLS=cfg.use_tls, MAIL_USE_SSL=cfg.use_ssl,
        MAIL_USERNAME=cfg.username or None, MAIL_PASSWORD=cfg.password or None,
        MAIL_DEFAULT_SENDER=cfg.sender, MAIL_TIMEOUT=cfg.timeout_s,
        MAIL_BACKEND="smtp",  # Flask-Mailman keeps mail in memory under TESTING: the tests want SMTP
    )
    mail.init_app(app)


def send(*, to: str, subject: str, body: str, reply_to: str | None = None) -> None:
    """Send one plain-text message to one address, or raise MailError saying why not."""
    message = EmailMessage(subject=subject, body=body, to=[to], reply_to=[reply_to] if reply_to else None)
    try:
        sent = message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError, socket.timeout) as exc:
        raise MailError(f"The email to {to} could not be sent ({type(exc).__name__}); please try again later.") from exc
    if not sent:
        raise MailError(f"The email to {to} could not be sent; please try again later.")
