"""One palette: app/static/tokens.css is the only place a status colour is written down; the folium
maps (render.py) read it, the canvass map reads it in the browser (getComputedStyle)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.maps import render
from app.maps.tokens import parse, tokens

STATIC = Path(render.__file__).resolve().parent.parent / "static"
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")


def test_parse_resolves_references_and_ignores_comments():
    css = ":root { /* --x: #000; */ --a: #123456; --b: var(--a); --c: var(--b); --font: 17px/1.4 sans-serif; }"
    assert parse(css) == {"--a": "#123456", "--b": "#123456", "--c": "#123456", "--font": "17px/1.4 sans-serif"}


@pytest.mark.parametrize("css", [":root { --a: var(--missing); }", ":root { --a: var(--b); --b: var(--a); }"])
def test_parse_refuses_a_dangling_or_circular_reference(css):
    with pytest.raises(ValueError, match="tokens.css"):
        parse(css)


def test_folium_maps_use_the_tokens_colours():
    t = tokens()
    assert render.STATUS_COLOURS == {
        "not_attempted": t["--status-todo"], "not_home": t["--status-revisit"], "spoke": t["--status-spoke"],
        "supporter": t["--status-contact"], "against": t["--status-final"], "dnc": t["--status-dnc"],
    }
    assert render.COVERAGE_ZERO == t["--coverage-zero"] and render.PROGRESS_ZERO == t["--progress-zero"]
    assert [c for _, c in render.COVERAGE_SCALE] == [t[f"--coverage-{n}"] for n in (0, 20, 40, 60, 80)]
    assert all(HEX.fullmatch(colour) for colour in render.STATUS_COLOURS.values())


def test_no_stylesheet_script_or_python_module_writes_a_colour_of_its_own():
    files = [f for f in STATIC.rglob("*") if f.suffix in (".css", ".js") and "vendor" not in f.parts
             and f.name != "tokens.css"] + [f for f in STATIC.parent.rglob("*.py") if f.name != "tokens.py"]
    assert len(files) > 20
    found = {f.relative_to(STATIC.parent).as_posix(): HEX.findall(f.read_text()) for f in files}
    assert {name: colours for name, colours in found.items() if colours} == {}


def test_the_canvass_status_palette_is_the_one_in_tokens():
    t = tokens()
    # The list page's door borders and the map's legend read the same meanings.
    assert t["--status-contact"] == t["--ok"] and t["--status-revisit"] == t["--warn"]
    assert t["--status-final"] == t["--bad"] and t["--status-pending"] == t["--accent"]


SPACING = re.compile(r"\b(?:padding|margin|gap|row-gap|column-gap)(?:-[a-z]+)?:\s*[^;}]*?(?<![\d.])(4|8|12)px\b"
                     r"|\bborder-radius:\s*(8)px\b")


def test_stylesheets_space_with_the_tokens():
    """The spacing steps and the radius tokens.css names are written as var(--space-*) and
    var(--radius), so a change of rhythm is one edit."""
    files = [f for f in STATIC.rglob("*.css") if "vendor" not in f.parts and f.name != "tokens.css"]
    found = {f.relative_to(STATIC).as_posix(): SPACING.findall(f.read_text()) for f in files}
    found = {name: [hit for hit in hits if any(hit)] for name, hits in found.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
