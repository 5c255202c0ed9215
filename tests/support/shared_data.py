"""Where the shared real-world data lives, and what to do when it is missing.

Self-contained so it can be promoted to tests/conftest.py as is. The folder is $LEGWORK_SHARED_DATA,
or <repo>/../shared/data. When it is missing, tests skip with the reason, unless
LEGWORK_REQUIRE_SHARED_DATA=1, in which case they fail (CI that must exercise the real data).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    env = os.environ.get("LEGWORK_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def require_shared_data(*parts: str) -> Path:
    """Path to the shared data (or a file in it); skip, or fail if required, when absent."""
    path = shared_data_dir().joinpath(*parts)
    if not path.exists():
        reason = (
            f"shared data not found at {path} (set LEGWORK_SHARED_DATA to the folder holding "
            "cambridge-ma/)"
        )
        if os.environ.get("LEGWORK_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(reason + "; LEGWORK_REQUIRE_SHARED_DATA=1 makes this a failure", pytrace=False)
        pytest.skip(reason)
    return path
