"""Shared by the benchmark scripts: put one section of BENCHMARKS.md in place, others untouched."""
from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "BENCHMARKS.md"


def write_section(section: str, text: str, path: Path = BENCHMARKS) -> None:
    """Replace the ``section`` heading and its body (up to the next ``## ``) with ``text``."""
    old = path.read_text() if path.exists() else "# Benchmarks\n"
    if section in old:
        start = old.index(section)
        nxt = old.find("\n## ", start + len(section))
        new = old[:start] + text.rstrip() + "\n" + (old[nxt:] if nxt >= 0 else "")
    else:
        new = old.rstrip() + "\n\n" + text.rstrip() + "\n"
    path.write_text(new)
