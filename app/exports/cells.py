"""What goes into one CSV cell: text a spreadsheet shows as text, never runs as a formula."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import phonenumbers

from ..clock import as_utc

# A cell starting with one of these is a formula (or becomes one) to Excel, LibreOffice and
# Google Sheets: "=HYPERLINK(...)" in a note would run on the organiser's machine (OWASP, "CSV
# injection"). A leading apostrophe makes the spreadsheet show the rest as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def yes(flag) -> str:
    """A tick a spreadsheet filters on: "yes" or blank."""
    return "yes" if flag else ""


def phone_text(e164: str | None, *, region: str) -> str:
    """A number as people write it: national in the campaign's own country ("(617) 555-0123"),
    international elsewhere ("+44 20 7946 0123", which ``spreadsheet_safe`` then keeps as text)."""
    if not e164:
        return ""
    if region == "US" and len(e164) == 12 and e164.startswith("+1") and e164[1:].isdigit():
        # Parsing costs ~0.2 ms a number, most of a city's people export: a NANP number's region
        # goes with its area code (+1 671 is Guam, not the US), so it is looked up once per code.
        area = e164[2:5]
        if area not in _NANP_AREA_REGION:
            _NANP_AREA_REGION[area] = _region(e164)
        if _NANP_AREA_REGION[area] == "US":
            return f"({area}) {e164[5:8]}-{e164[8:]}"
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(number) == region
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_NANP_AREA_REGION: dict[str, str | None] = {}


def _region(e164: str) -> str | None:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None


def local_date_time(when: datetime | None, tz: ZoneInfo) -> tuple[str, str]:
    """(YYYY-MM-DD, HH:MM) on the campaign's clock: two cells a spreadsheet sorts and filters on."""
    if when is None:
        return "", ""
    local = as_utc(when).astimezone(tz)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M")


def utc_text(when: datetime | None) -> str:
    return as_utc(when).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if when is not None else ""
