"""Template filters the phone-bank pages use, registered app-wide by create_app."""
from __future__ import annotations

import phonenumbers
from flask import Flask

from ..clock import campaign_time
from ..config import settings


def format_phone(e164: str, region: str | None = None) -> str:
    """+16175550123 -> (617) 555-0123 for numbers in the campaign's region (``region``: given, for
    a download streamed after its request), international otherwise."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(number) == (region or settings().default_region)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def local_time(when) -> str:
    """A stored UTC datetime on the campaign's clock."""
    return campaign_time(when, "%a %d %b %H:%M", zone=False)


def init_app(app: Flask) -> None:
    app.add_template_filter(format_phone, "pb_phone")
    app.add_template_filter(local_time, "pb_local")
