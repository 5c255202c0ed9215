"""Mapping files: which CSV column feeds which Legwork field, so a city's address list, a UK
electoral register and a US voter file all load without anyone editing the CSV.

A mapping is TOML::

    name = "Cambridge, MA master address list"
    default_region = "US"        # phonenumbers region for numbers without a country code
    city = "Cambridge"           # a constant, for files without a city column
    household_key = [...]        # rows are people: these columns identify the household

    [columns]
    external_id = "address_id"   # household id; omit it and give household_key instead
    building_key = ["parcel_id", "building_id"]   # a list: the non-blank values joined
    ...

See mappings/*.toml for complete examples.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ValidationError

MAPPINGS_DIR = Path(__file__).resolve().parent.parent.parent / "mappings"

HOUSEHOLD_FIELDS = ("external_id", "house_number", "suffix", "street", "unit", "postcode", "city",
                    "building_key", "lon", "lat")
PERSON_FIELDS = ("person_external_id", "first_name", "last_name", "phone")
# A UK register export: the elector number in three columns, and the address as lines
# ("Flat 2", "14 Acacia Avenue", "Sunderland") instead of a number and a street.
ELECTOR_FIELDS = ("elector_prefix", "elector_number", "elector_suffix", "elector_markers", "address_lines")
FIELDS = HOUSEHOLD_FIELDS + PERSON_FIELDS + ELECTOR_FIELDS
# Only building_key and address_lines may combine several columns.
MULTI_COLUMN_FIELDS = {"building_key", "address_lines"}
TOP_LEVEL_KEYS = {"name", "description", "default_region", "city", "household_key", "columns"}


class MappingError(ValidationError):
    """The mapping file itself is wrong (unknown field, missing column...)."""


class TomlMapping:
    """Reading a mapping file: TOML text or a path to it, checked by the subclass's ``from_dict``."""

    @classmethod
    def from_toml(cls, text: str, *, source: str = ""):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise MappingError(f"mapping {source or ''} is not valid TOML: {exc}".replace("  ", " ")) from None
        return cls.from_dict(data, source=source)

    @classmethod
    def load(cls, path: str | Path):
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MappingError(f"cannot read mapping {path}: {exc}") from None
        return cls.from_toml(text, source=path.name)


@dataclass(frozen=True)
class Mapping(TomlMapping):
    """Field name -> CSV column name(s). Blank columns are simply not mapped."""

    columns: dict[str, tuple[str, ...]]
    name: str = ""
    default_region: str | None = None
    city: str = ""
    household_key: tuple[str, ...] = ()
    source: str = field(default="", compare=False)

    @property
    def has_people(self) -> bool:
        return any(f in self.columns for f in PERSON_FIELDS)

    @property
    def has_electors(self) -> bool:
        """Rows are electors: the person's id is their elector number (re-imports match on it)."""
        return "elector_number" in self.columns

    @property
    def has_coordinates(self) -> bool:
        return "lon" in self.columns and "lat" in self.columns

    def required_columns(self) -> list[str]:
        needed = [c for cols in self.columns.values() for c in cols] + list(self.household_key)
        return list(dict.fromkeys(needed))

    def check_header(self, header: list[str]) -> None:
        """Every mapped column must exist in the CSV: a typo fails before any row is read."""
        missing = [c for c in self.required_columns() if c not in header]
        if missing:
            raise MappingError(
                f"the CSV has no column {', '.join(repr(c) for c in missing)} "
                f"(mapping {self.name or self.source!r}; the CSV's columns are {', '.join(header)})")

    @classmethod
    def from_dict(cls, data: dict, *, source: str = "") -> Mapping:
        where = f"mapping {source}" if source else "mapping"
        unknown = set(data) - TOP_LEVEL_KEYS
        if unknown:
            raise MappingError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}; "
                               f"allowed: {', '.join(sorted(TOP_LEVEL_KEYS))}")
        raw_columns = data.get("columns")
        if not isinstance(raw_columns, dict) or not raw_columns:
            raise MappingError(f"{where}: needs a [columns] table saying which CSV column is each field")
        bad_fields = set(raw_columns) - set(FIELDS)
        if bad_fields:
            raise MappingError(f"{where}: unknown field(s) {', '.join(sorted(bad_fields))} in [columns]; "
                               f"known fields: {', '.join(FIELDS)}")
        columns: dict[str, tuple[str, ...]] = {}
        for name, value in raw_columns.items():
            cols = (value,) if isinstance(value, str) else value
            if (not isinstance(cols, (list, tuple)) or not all(isinstance(c, str) for c in cols)
                    or (len(cols) > 1 and name not in MULTI_COLUMN_FIELDS)):
                allowed = "a column name or a list of column names" if name in MULTI_COLUMN_FIELDS \
                    else "a column name"
                raise MappingError(f"{where}: [columns] {name} must be {allowed}")
            cols = tuple(c for c in cols if c.strip())
            if cols:
                columns[name] = cols
        household_key = data.get("household_key") or ()
        if isinstance(household_key, str):
            household_key = (household_key,)
        if not isinstance(household_key, (list, tuple)) or not all(isinstance(c, str) and c for c in household_key):
            raise MappingError(f"{where}: household_key must be a list of column names")
        if "external_id" not in columns and not household_key:
            raise MappingError(f"{where}: map external_id to a column, or give household_key "
                               "(the columns that identify a household) so re-imports update instead of duplicating")
        if "street" not in columns and "address_lines" not in columns:
            raise MappingError(f"{where}: [columns] street is required (or address_lines, for address lines)")
        if ("elector_number" in columns) != ("elector_prefix" in columns):
            raise MappingError(f"{where}: map both elector_prefix and elector_number, or neither")
        if ("lon" in columns) != ("lat" in columns):
            raise MappingError(f"{where}: map both lon and lat, or neither (then postcodes give coordinates)")
        if not ("lon" in columns or "postcode" in columns):
            raise MappingError(f"{where}: map lon and lat, or postcode (with a postcode centroid file)")
        if (any(f in columns for f in PERSON_FIELDS) and "person_external_id" not in columns
                and "elector_number" not in columns):
            raise MappingError(f"{where}: rows with people need [columns] person_external_id (the voter id), "
                               "so re-imports update people instead of duplicating them")
        for key in ("name", "description", "city"):
            if not isinstance(data.get(key, ""), str):
                raise MappingError(f"{where}: {key} must be text")
        region = data.get("default_region")
        if region is not None and (not isinstance(region, str) or len(region) != 2):
            raise MappingError(f"{where}: default_region must be a two-letter region code such as \"US\" or \"GB\"")
        return cls(columns=columns, name=data.get("name") or "", default_region=region.upper() if region else None,
                   city=data.get("city") or "", household_key=tuple(household_key), source=source)



def bundled_mappings() -> dict[str, Path]:
    """The mapping files shipped in mappings/, by file stem."""
    if not MAPPINGS_DIR.is_dir():
        return {}
    return {p.stem: p for p in sorted(MAPPINGS_DIR.glob("*.toml"))}
