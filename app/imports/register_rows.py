"""Reading a UK electoral register export through a mapping: the address comes as lines
("Flat 2", "14 Acacia Avenue", "Sunderland") and the person's id is their elector number.
Everything else (postcode geocoding, lengths, control characters) is ``RowReader``'s."""
from __future__ import annotations

import hashlib
import re

from ..pollingday.numbers import BadNumber, parse_parts, postal_proxy
from .rows import MAX_LENGTHS, BadRow, RowReader, _clean

MAX_MARKERS = 20
# "14 Acacia Avenue", "14A Acacia Avenue", "14-16 Mill Lane"
_NUMBERED = re.compile(r"(\d+[A-Za-z]?(?:\s*-\s*\d+[A-Za-z]?)?),?\s+(.+)")


def split_address(lines: list[str]) -> dict:
    """house_number, unit, street, city from address lines, the first line that starts with a
    number being the street: lines before it name the flat or house, the last line after it is
    the town. With no numbered line, a house name: the first line is the unit, the next the street."""
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        match = _NUMBERED.fullmatch(line)
        if match:
            after = lines[i + 1:]
            return {"house_number": match.group(1).replace(" ", ""), "street": match.group(2),
                    "unit": ", ".join(lines[:i]), "city": after[-1] if after else ""}
    if len(lines) >= 2:
        return {"house_number": "", "unit": lines[0], "street": lines[1],
                "city": lines[-1] if len(lines) > 2 else ""}
    return {"house_number": "", "unit": "", "street": lines[0] if lines else "", "city": ""}


class RegisterReader(RowReader):
    """RowReader for mappings with elector fields (``Mapping.has_electors``)."""

    def __init__(self, mapping, header, *, postcodes, region):
        super().__init__(mapping, header, postcodes=postcodes, region=region)
        self.text_fields = [(f, i) for f, i in self.text_fields if f not in ("house_number", "unit", "street", "city")]

    def household(self, row: list[str]) -> dict:
        if "address_lines" not in self.columns:
            return super().household(row)
        self.check_text(row)
        parts = split_address([_clean(row[i]) for i in self.columns["address_lines"]])
        if not parts["street"]:
            raise BadRow(f"missing address (columns {', '.join(self.mapping.columns['address_lines'])})")
        values = {"suffix": "", "postcode": self._get(row, "postcode"), **parts}
        values["city"] = values["city"] or self.mapping.city
        key_parts = [re.sub(r"\s+", "", row[i]).casefold() for i in self.key_columns]
        values["external_id"] = self._household_id(key_parts)
        for name, limit in self.length_checks:
            if len(values[name]) > limit:
                raise BadRow(f"{name} is longer than {limit} characters")
        values["lon"], values["lat"] = self._coordinates(row, values)
        values["building_key"] = self._get(row, "building_key") or \
            f"{values['house_number']} {values['street']} {values['postcode']}".strip().casefold()[:120]
        return values

    @staticmethod
    def _household_id(parts: list[str]) -> str:
        if not any(parts):
            raise BadRow("missing household key (the address columns are blank)")
        return "hh-" + hashlib.sha1("|".join(parts).encode()).hexdigest()[:24]

    def person(self, row: list[str]) -> dict:
        try:
            number = parse_parts(self._get(row, "elector_prefix"), self._get(row, "elector_number"),
                                 self._get(row, "elector_suffix"))
        except BadNumber as exc:
            raise BadRow(str(exc)) from None
        markers = self._get(row, "elector_markers").upper()
        if len(markers) > MAX_MARKERS:
            raise BadRow(f"elector markers are longer than {MAX_MARKERS} characters")
        person = {"external_id": str(number), "first_name": self._get(row, "first_name"),
                  "last_name": self._get(row, "last_name"), "phone": None, "phone_type": ""}
        for name in ("first_name", "last_name"):
            if len(person[name]) > MAX_LENGTHS[name]:
                raise BadRow(f"{name} is longer than {MAX_LENGTHS[name]} characters")
        postal, proxy = postal_proxy(markers)
        person["elector"] = {"prefix": number.prefix, "number": number.number, "suffix": number.suffix,
                             "markers": markers, "postal": postal, "proxy": proxy}
        return person
