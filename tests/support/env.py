"""Where the repository is, and the PostgreSQL server the tests use (if any)."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("LEGWORK_TEST_DATABASE_URL", "")
