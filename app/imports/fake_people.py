"""Made-up residents for demos and tests: names from built-in lists, numbers from fiction
ranges (app/imports/phones.py). Never real people, never a number that rings anyone."""
from __future__ import annotations

import random

import sqlalchemy as sa
from sqlmodel import Session

from ..errors import ValidationError
from ..models import Household, Person, utcnow
from .bulk import bulk_insert
from .phones import fictional_phone

FIRST_NAMES = (
    "Alex", "Amara", "Ana", "Arjun", "Bea", "Ben", "Carla", "Chen", "Chloe", "Dana", "Dev", "Eli", "Elena",
    "Emeka", "Farah", "Finn", "Grace", "Hana", "Ibrahim", "Iris", "Jamal", "Jo", "Jonah", "Kai", "Keiko",
    "Lena", "Leo", "Lucia", "Malik", "Maya", "Mei", "Nadia", "Noah", "Nora", "Omar", "Pat", "Priya", "Quinn",
    "Rafael", "Rosa", "Ruth", "Sam", "Sana", "Sean", "Sofia", "Tariq", "Tess", "Theo", "Uma", "Vera",
    "Wen", "Will", "Yara", "Yusuf", "Zoe",
)
LAST_NAMES = (
    "Abbott", "Acheson", "Banerjee", "Barros", "Brennan", "Castillo", "Chowdhury", "Costa", "Dalton", "Dube",
    "Ellery", "Fairweather", "Fenwick", "Garnett", "Haddad", "Hallworth", "Ibarra", "Jansen", "Kowalczyk",
    "Lachance", "Linwood", "Mbeki", "Moreau", "Nakamura", "Novak", "Okafor", "Oyelaran", "Pemberton",
    "Quarrie", "Ramsden", "Rossi", "Sandoval", "Sato", "Thorne", "Trevino", "Underwood", "Varga", "Whitlock",
    "Yilmaz", "Zielinski",
)
PHONE_SHARE = 0.8  # some residents have no number, as in a real file


def add_fake_people(session: Session, *, seed: int = 1, per_household: tuple[int, int] = (1, 3),
                    region: str = "US") -> int:
    """Add made-up residents to every household that has none; returns how many were added.
    Deterministic for a seed. The caller commits."""
    low, high = per_household
    if not (0 <= low <= high <= 20) or high == 0:
        raise ValidationError(f"people per household must be A-B with 0 <= A <= B <= 20 and B > 0, not {low}-{high}")
    rng = random.Random(seed)
    empty = session.execute(
        sa.select(Household.id).where(~sa.exists().where(Person.household_id == Household.id))
        .order_by(Household.id)).scalars().all()
    now = utcnow()
    rows = []
    for household_id in empty:
        family = rng.choice(LAST_NAMES)
        for _ in range(rng.randint(low, high)):
            # Mostly one family name per door, sometimes a housemate with another.
            last = family if rng.random() < 0.8 else rng.choice(LAST_NAMES)
            phone, phone_type = fictional_phone(rng, region) if rng.random() < PHONE_SHARE else (None, "")
            rows.append({"household_id": household_id, "first_name": rng.choice(FIRST_NAMES), "last_name": last,
                         "phone": phone, "phone_type": phone_type, "created_at": now, "updated_at": now})
    bulk_insert(session, Person, rows)
    return len(rows)
