"""Reading an address/people CSV through a mapping: one row in, a household (and maybe a
person) out, or a reason the row is bad. No database here."""
from __future__ import annotations

import csv
import hashlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ValidationError
from .mapping import Mapping
from .phones import PhoneError, parse_phone

# Column widths from app/models/people.py: longer values are bad rows, not silent truncation.
MAX_LENGTHS = {"external_id": 64, "house_number": 20, "suffix": 20, "street": 200, "unit": 40,
               "postcode": 20, "city": 100, "person_external_id": 64, "first_name": 100, "last_name": 100}
MAX_BUILDING_KEY = 120
ADDRESS_TEXT_FIELDS = ("house_number", "suffix", "street", "unit", "postcode", "city")
# NUL cannot be stored in PostgreSQL text, and no control character (tab, CR and LF aside,
# which _clean turns into spaces) belongs in a name or an address.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class BadRow(ValueError):
    """Why one row cannot be imported."""


@dataclass(frozen=True)
class RowError:
    row: int  # the CSV line the row starts on; the header is line 1
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


def normalise_postcode(text: str) -> str:
    """The lookup key: upper case, no spaces ("sr1 1ae", "SR11AE" and "SR1  1AE" meet)."""
    return re.sub(r"\s+", "", text or "").upper()


def load_postcodes(source: str | Path | io.TextIOBase) -> dict[str, tuple[str, float, float]]:
    """postcode key -> (postcode as the table spells it, lon, lat), from a CSV with columns
    postcode, lat, lon (others ignored)."""
    rows = read_csv(source, what="postcode file")
    header = [h.lower() for h in rows[0][1]] if rows else []
    missing = [c for c in ("postcode", "lat", "lon") if c not in header]
    if missing:
        raise ValidationError(f"the postcode file needs columns postcode, lat, lon (missing: {', '.join(missing)})")
    ip, ilat, ilon = (header.index(c) for c in ("postcode", "lat", "lon"))
    table = {}
    for _line, row in rows[1:]:
        try:
            lat, lon = float(row[ilat]), float(row[ilon])
        except (ValueError, IndexError):
            continue  # a postcode without a centroid cannot geocode anything: treat as unknown
        if math.isfinite(lat) and math.isfinite(lon) and not _CONTROL.search(row[ip]):
            table[normalise_postcode(row[ip])] = (" ".join(row[ip].split()).upper(), lon, lat)
    return table


def read_csv(source, *, what: str = "CSV") -> list[tuple[int, list[str]]]:
    """[(line the row starts on, cells)], header included; blank lines dropped."""
    return list(stream_rows(source, what=what))


def data_rows(source, *, what: str = "CSV"):
    """As ``stream_rows``, the header left out."""
    rows = stream_rows(source, what=what)
    next(rows, None)
    return rows


def stream_rows(source, *, what: str):
    """(line the row starts on, cells) for each non-blank row, header first, read as a stream.
    ``source``: a path, or an open text stream (an upload), read from its start: a write
    transaction may run its importer again."""
    handle = open(source, encoding="utf-8-sig", newline="") if isinstance(source, (str, Path)) else source
    if handle is source and handle.seekable():
        handle.seek(0)
    try:
        reader = csv.reader(handle)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            if row and any(cell.strip() for cell in row):
                yield start, row
    except UnicodeDecodeError:
        raise ValidationError(f"the {what} is not UTF-8 text (save it as CSV UTF-8)") from None
    except csv.Error as exc:
        raise ValidationError(f"the {what} is not a readable CSV: {exc}") from None
    except OSError as exc:
        raise ValidationError(f"cannot read the {what}: {exc}") from None
    finally:
        if handle is not source:
            handle.close()


def _number(name: str, text: str, low: float, high: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise BadRow(f"{name} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise BadRow(f"{name} {text!r} is not a finite number")
    if not low <= value <= high:
        raise BadRow(f"{name} {value:g} is out of range ({low:g} to {high:g})")
    return value


def _clean(text: str) -> str:
    text = text.strip()
    # split/join is the slow part of reading a big file: only for the few cells that need it
    return " ".join(text.split()) if "  " in text or "\t" in text or "\n" in text or "\r" in text else text


class RowReader:
    """Turns CSV rows into household/person dicts according to one mapping."""

    def __init__(self, mapping: Mapping, header: list[str], *, postcodes: dict | None, region: str):
        mapping.check_header(header)
        if not mapping.has_coordinates and postcodes is None:
            raise ValidationError("this mapping has no lon/lat columns: give a postcode centroid file "
                                  "(--postcodes) to geocode the postcodes")
        self.mapping, self.postcodes, self.region = mapping, postcodes, region
        index = {name: i for i, name in reversed(list(enumerate(header)))}
        self.width, self.header = len(header), header
        self.columns = {f: [index[c] for c in cols] for f, cols in mapping.columns.items()}
        self.key_columns = [index[c] for c in mapping.household_key]
        self.used = sorted({i for cols in self.columns.values() for i in cols} | set(self.key_columns))
        # Precomputed so the per-row work is one pass over a short list (big files are 20k+ rows).
        self.text_fields = [(f, self.columns[f][0]) for f in ADDRESS_TEXT_FIELDS if f in self.columns]
        self.length_checks = [(f, MAX_LENGTHS[f]) for f in ("external_id",) + ADDRESS_TEXT_FIELDS]

    def pad(self, row: list[str]) -> list[str]:
        """Short rows (trailing blanks left off) read as blank cells."""
        return row + [""] * (self.width - len(row)) if len(row) < self.width else row

    def _get(self, row: list[str], field: str) -> str:
        cols = self.columns.get(field)
        if not cols:
            return ""
        if len(cols) == 1:
            return _clean(row[cols[0]])
        return "|".join(v for v in (_clean(row[i]) for i in cols) if v)

    def _required(self, row, field: str) -> str:
        value = self._get(row, field)
        if not value:
            cols = ", ".join(self.mapping.columns[field])
            raise BadRow(f"missing {field} (column {cols})")
        return value

    def check_text(self, row: list[str]) -> None:
        """Refuse a control character in any column the mapping reads, naming the column."""
        if not _CONTROL.search("".join(row[i] for i in self.used)):
            return
        for i in self.used:
            bad = _CONTROL.search(row[i])
            if bad:
                raise BadRow(f"column {self.header[i]!r} contains a control character "
                             f"(U+{ord(bad.group()):04X}) at position {bad.start() + 1}")

    def household(self, row: list[str]) -> dict:
        self.check_text(row)
        if "external_id" in self.columns:
            external_id = self._required(row, "external_id")
        else:
            # Spacing and case never split a household ("AB1 2CD" and "ab12cd" are one postcode).
            parts = [re.sub(r"\s+", "", row[i]).casefold() for i in self.key_columns]
            if not any(parts):
                raise BadRow(f"missing household key (columns {', '.join(self.mapping.household_key)})")
            external_id = "hh-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:24]
        values = dict.fromkeys(ADDRESS_TEXT_FIELDS, "")
        for name, i in self.text_fields:
            values[name] = _clean(row[i])
        values["external_id"] = external_id
        values["city"] = values["city"] or self.mapping.city
        if not values["street"]:
            raise BadRow(f"missing street (column {', '.join(self.mapping.columns['street'])})")
        for name, limit in self.length_checks:
            if len(values[name]) > limit:
                raise BadRow(f"{name} is longer than {limit} characters")
        values["lon"], values["lat"] = self._coordinates(row, values)
        key = self._get(row, "building_key") or \
            f"{values['house_number']}{values['suffix']} {values['street']} {values['postcode']}".strip().casefold()
        if len(key) > MAX_BUILDING_KEY:
            key = "bk-" + hashlib.sha1(key.encode()).hexdigest()
        values["building_key"] = key
        return values

    def _coordinates(self, row, values) -> tuple[float, float]:
        lon_text, lat_text = self._get(row, "lon"), self._get(row, "lat")
        if lon_text or lat_text:
            if not (lon_text and lat_text):
                raise BadRow(f"missing {'lat' if lon_text else 'lon'} (the other coordinate is given)")
            return _number("lon", lon_text, -180, 180), _number("lat", lat_text, -90, 90)
        if self.postcodes is None or "postcode" not in self.columns:
            raise BadRow("missing coordinates (lon, lat)"
                         + ("" if "postcode" not in self.columns else "; give --postcodes to geocode by postcode"))
        if not values["postcode"]:
            raise BadRow(f"missing postcode (column {', '.join(self.mapping.columns['postcode'])})")
        found = self.postcodes.get(normalise_postcode(values["postcode"]))
        if found is None:
            raise BadRow(f"unknown postcode {values['postcode']!r} (not in the postcode file)")
        values["postcode"] = found[0]
        return found[1], found[2]

    def person(self, row: list[str]) -> dict | None:
        if not self.mapping.has_people:
            return None
        person = {"external_id": self._required(row, "person_external_id"),
                  "first_name": self._get(row, "first_name"), "last_name": self._get(row, "last_name"),
                  "phone": None, "phone_type": ""}
        for name in ("external_id", "first_name", "last_name"):
            limit = MAX_LENGTHS["person_external_id" if name == "external_id" else name]
            if len(person[name]) > limit:
                raise BadRow(f"{'person_external_id' if name == 'external_id' else name} "
                             f"is longer than {limit} characters")
        raw_phone = self._get(row, "phone")
        if raw_phone:
            try:
                person["phone"], person["phone_type"] = parse_phone(raw_phone, self.region)
            except PhoneError as exc:
                raise BadRow(str(exc)) from None
        return person
