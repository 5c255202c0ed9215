"""Phone numbers: parsed with phonenumbers, stored as E.164 plus a type, never as raw text.

Also the fictional numbering ranges used for made-up residents, so a demo or a test can never
ring a real person: NANP 555-0100..0199 (reserved for fiction), Ofcom's drama ranges (UK),
ACMA's fictional mobile range (Australia).
"""
from __future__ import annotations

import random
import re
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

PHONE_TYPES = {
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE: "landline",
    # Most NANP numbers: the numbering plan cannot tell a mobile from a landline.
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "landline_or_mobile",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.PERSONAL_NUMBER: "personal",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
}


class PhoneError(ValueError):
    """A number that cannot be stored; the message says why, for the import report."""


def parse_phone(raw: str, region: str) -> tuple[str, str]:
    """(E.164, type) for a number written any usual way; raises PhoneError otherwise."""
    text = (raw or "").strip()
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise PhoneError(f"phone {text!r} is not a phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"phone {text!r} is not a valid number for region {region}")
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return e164, PHONE_TYPES.get(phonenumbers.number_type(number), "unknown")


# Area codes across the US and Canada; with 555-01xx each gives 100 fictional numbers.
NANP_AREA_CODES = (
    "617", "857", "339", "781", "508", "774", "978", "351", "413", "212", "646", "718", "347", "917",
    "202", "215", "267", "312", "773", "415", "510", "650", "213", "310", "323", "818", "206", "503",
    "303", "512", "713", "214", "404", "305", "702", "602", "612", "313", "614", "412", "416", "604",
)
# Ofcom's drama numbers (each x is a free digit): ranges kept for fiction, never allocated.
UK_DRAMA_RANGES = (
    "+441134960xxx", "+441144960xxx", "+441164960xxx", "+441174960xxx", "+441184960xxx",
    "+441214960xxx", "+441314960xxx", "+441414960xxx", "+441514960xxx", "+441614960xxx",
    "+441914980xxx", "+442079460xxx", "+442896496xxx", "+442920180xxx",
)
NANP_REGIONS = {"US", "CA", "PR", "VI", "GU", "AS", "MP"}


def fictional_phone(rng: random.Random, region: str) -> tuple[str, str]:
    """A made-up number that phonenumbers accepts, from a fiction range where one exists."""
    region = region.upper()
    for _ in range(50):
        if region in NANP_REGIONS:
            candidate = f"+1{rng.choice(NANP_AREA_CODES)}55501{rng.randrange(100):02d}"
        elif region == "GB":
            candidate = re.sub("x", lambda _: str(rng.randrange(10)), rng.choice(UK_DRAMA_RANGES))
        elif region == "AU":
            candidate = f"+61491570{rng.randrange(110, 160)}"
        else:
            # No fiction range known: phonenumbers' own documented example number for the region.
            example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE) \
                or phonenumbers.example_number(region)
            if example is None:
                raise PhoneError(f"no example phone numbers are known for region {region!r}")
            candidate = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        try:
            return _cached_parse(candidate, region)
        except PhoneError:
            continue
    raise PhoneError(f"could not make a valid fictional number for region {region!r}")


@lru_cache(maxsize=8192)
def _cached_parse(candidate: str, region: str) -> tuple[str, str]:
    # The fiction ranges are small (a few thousand numbers): parse each once.
    return parse_phone(candidate, region)
