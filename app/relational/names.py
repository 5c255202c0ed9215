"""Pure text functions for matching people someone knows against the register: normalising
names, streets and postcodes, and Jaro-Winkler similarity (pure Python: names are short, and a
match compares a few hundred candidates at most, so no C extension is worth a dependency)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_LETTER = re.compile(r"[^a-z ]+")
_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")
_HOUSE_NUMBER = re.compile(r"\b[0-9]+[A-Za-z]?\b")
_US_ZIP = re.compile(r"^[0-9]{5}([0-9]{4})?$")
# How registers and people spell the same street differently ("St" / "Street").
_STREET_WORDS = {
    "st": "street", "rd": "road", "ave": "avenue", "av": "avenue", "ln": "lane", "dr": "drive", "ct": "court",
    "pl": "place", "sq": "square", "cres": "crescent", "cr": "crescent", "tce": "terrace", "ter": "terrace",
    "gdns": "gardens", "gr": "grove", "blvd": "boulevard", "pk": "park", "cl": "close", "hwy": "highway",
    "pkwy": "parkway", "n": "north", "s": "south", "e": "east", "w": "west", "mt": "mount",
}


def fold(text: str) -> str:
    """Lower case, accents off, anything but letters and spaces as a space."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return " ".join(_NOT_LETTER.sub(" ", plain.replace("'", "")).split())


@lru_cache(maxsize=65536)  # a register repeats its names: each is folded once per process
def name_tokens(text: str) -> tuple[str, ...]:
    return tuple(fold(text).split())


SUFFIX_WORDS = frozenset(_STREET_WORDS.values()) | {"close", "way", "row", "walk", "hill", "green", "mews", "rise"}


def street_tokens(key: str) -> set[str]:
    """A street key's blocking tokens: the first three letters of its words that are not "road",
    "north" and the like ("brackley road" -> {"bra"})."""
    words = [w for w in key.split() if w not in SUFFIX_WORDS] or key.split()
    return {w[:3] for w in words}


@lru_cache(maxsize=65536)
def street_key(text: str) -> str:
    """A street as a comparable key: house numbers and punctuation off, abbreviations spelled out
    ("12a Mill Rd." and "MILL ROAD" meet)."""
    without_numbers = _HOUSE_NUMBER.sub(" ", text or "")
    return " ".join(_STREET_WORDS.get(word, word) for word in fold(without_numbers).split())


def postcode_key(text: str) -> str:
    """Upper case without spaces; a ZIP+4 is its ZIP (as app.imports stores them)."""
    key = re.sub(r"[\s-]+", "", text or "").upper()
    return key[:5] if _US_ZIP.match(key) else key


def postcode_area(key: str) -> str:
    """The area a postcode key lies in: a UK postcode's outward code ("CB12AB" -> "CB1"); a ZIP
    (already an area) is its own."""
    if _UK_POSTCODE.match(key):
        return key[:-3]
    return key


def is_postcode(key: str) -> bool:
    return bool(_UK_POSTCODE.match(key) or _US_ZIP.match(key))


@lru_cache(maxsize=262144)  # matching compares the same pairs of words again and again
def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity, 0 (nothing alike) to 1 (the same), prefix scale 0.1 up to 4 letters."""
    if a == b:
        return 1.0
    la, lb = len(a), len(b)
    if not la or not lb:
        return 0.0
    window = max(max(la, lb) // 2 - 1, 0)
    taken = [False] * lb
    matched_a = []
    for i, ch in enumerate(a):
        # str.find does the scanning in C: the next unused ch inside the window
        j = b.find(ch, max(0, i - window), min(lb, i + window + 1))
        while j != -1 and taken[j]:
            j = b.find(ch, j + 1, min(lb, i + window + 1))
        if j != -1:
            taken[j] = True
            matched_a.append(ch)
    m = len(matched_a)
    if not m:
        return 0.0
    half = sum(x != y for x, y in zip(matched_a, (b[j] for j in range(lb) if taken[j])))
    jaro = (m / la + m / lb + (m - half / 2) / m) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


def _covered(tokens: tuple[str, ...], others: tuple[str, ...]) -> float:
    """How well each token finds a partner among ``others`` (an initial matches its name)."""
    total = 0.0
    for token in tokens:
        best = 0.0
        for other in others:
            if len(token) == 1 or len(other) == 1:
                score = 0.9 if token[0] == other[0] else 0.0
            else:
                score = jaro_winkler(token, other)
            best = max(best, score)
        total += best
    return total / len(tokens)


SURNAME_NEEDED = 0.85


def name_similarity(typed: tuple[str, ...], first: tuple[str, ...], last: tuple[str, ...]) -> float:
    """0..1: how alike a name typed by a volunteer and a register entry's names are. Both ways
    round (so "Sam" alone is not "Samuel Jones"), and the surname must be there: a typed name
    whose every word misses the register's last name scores under 0.5."""
    register = first + last
    if not typed or not register:
        return 0.0
    surname = _covered(last, typed) if last else 1.0
    if surname < SURNAME_NEEDED:  # most candidates stop here, cheaply
        return surname / 2
    return (_covered(typed, register) + _covered(register, typed)) / 2
