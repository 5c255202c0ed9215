"""Twilio adapter: the only module that talks to the Twilio REST API.

A bridged call: Twilio rings the caller's own phone; when they answer it fetches our TwiML,
which dials the voter showing the campaign's number, so volunteers never expose their own.
No client exists at import time; each call builds one from settings. ``twilio.api_base_url``
(tests only) sends the SDK's requests to a local server instead of api.twilio.com.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from ..config import Settings
from ..errors import LegworkError

TWILIO_API = "https://api.twilio.com"
STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"]


class TelephonyError(LegworkError):
    """Twilio refused or could not be reached; nothing was dialled."""

    status = 502
    kind = "telephony"


class RebasedHttpClient(TwilioHttpClient):
    """Sends requests meant for https://api.twilio.com to another base URL (a test server)."""

    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API):]
        return super().request(method, url, *args, **kwargs)


def bridging_enabled(settings: Settings) -> bool:
    """Everything a bridged call needs is set; otherwise the call screen offers tel: links only."""
    t = settings.twilio
    return bool(settings.twilio_enabled and t.caller_id and t.public_base_url)


def make_client(settings: Settings) -> Client:
    t = settings.twilio
    base = t.api_base_url.strip()
    http_client = RebasedHttpClient(base, timeout=15) if base else TwilioHttpClient(timeout=15)
    return Client(t.account_sid, t.auth_token, http_client=http_client)


def public_url(settings: Settings, path: str) -> str:
    """The URL Twilio uses to reach ``path``; also the URL its signatures are computed over."""
    return settings.twilio.public_base_url.rstrip("/") + path


@dataclass(frozen=True)
class PlacedCall:
    sid: str
    status: str


def place_bridged_call(settings: Settings, *, caller_phone: str, twiml_path: str,
                       status_path: str) -> PlacedCall:
    """Ask Twilio to ring ``caller_phone`` and run the TwiML at ``twiml_path`` when answered."""
    if not bridging_enabled(settings):
        raise TelephonyError("Calling through the campaign is not set up; use the phone link instead.")
    for path in (twiml_path, status_path):
        if urlsplit(path).scheme:
            raise ValueError("paths, not URLs: the public base URL is added here")
    try:
        call = make_client(settings).calls.create(
            to=caller_phone,
            from_=settings.twilio.caller_id,
            url=public_url(settings, twiml_path),
            method="POST",
            status_callback=public_url(settings, status_path),
            status_callback_event=STATUS_EVENTS,
            status_callback_method="POST",
        )
    except TwilioRestException as err:
        raise TelephonyError(f"Twilio refused the call: {err.msg} (HTTP {err.status}).") from None
    except (TwilioException, OSError) as err:
        raise TelephonyError(f"Could not reach Twilio: {err}. Use the phone link instead.") from None
    if not call.sid:
        raise TelephonyError("Twilio did not return a call id; the call may not have been placed.")
    return PlacedCall(sid=call.sid, status=str(call.status or "queued"))


def send_sms(settings: Settings, *, to: str, body: str) -> str:
    """One text from the campaign's number (event reminders); its message id, or TelephonyError."""
    if not (settings.twilio_enabled and settings.twilio.caller_id):
        raise TelephonyError("Texting through the campaign is not set up.")
    try:
        message = make_client(settings).messages.create(to=to, from_=settings.twilio.caller_id, body=body)
    except TwilioRestException as err:
        raise TelephonyError(f"Twilio refused the text: {err.msg} (HTTP {err.status}).") from None
    except (TwilioException, OSError) as err:
        raise TelephonyError(f"Could not reach Twilio: {err}.") from None
    if not message.sid:
        raise TelephonyError("Twilio did not return a message id; the text may not have been sent.")
    return message.sid
