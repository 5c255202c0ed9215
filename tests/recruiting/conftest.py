"""Fixtures for the recruiting tests: a recruiter with a code, and the sign-up's postcodes."""
from __future__ import annotations

import pytest

from tests.support.recruiting import code_for, make_volunteer
from tests.volunteers.conftest import postcodes  # noqa: F401  (a fixture)


@pytest.fixture
def asha(db, make_user):
    return make_volunteer(db, make_user, name="Asha Recruiter", email="asha@example.org")


@pytest.fixture
def asha_code(db, asha):
    return code_for(db, asha)
