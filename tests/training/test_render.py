"""A module's Markdown becomes plain formatting only: whatever an organiser (or someone with their
password) types, no script, no raw HTML, no unsafe link and no attribute but href/title/rel survive."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.training.render import ATTRIBUTES, TAGS, URL_SCHEMES, to_html


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.tags.append(("!--", []))


def _problems(html: str) -> list[str]:
    parser = _Collect()
    parser.feed(html)
    parser.close()
    found = []
    for tag, attrs in parser.tags:
        if tag not in TAGS:
            found.append(f"tag {tag}")
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()) | {"rel"}:
                found.append(f"attribute {name} on {tag}")
            scheme = _scheme(value or "") if name == "href" else None
            if scheme and scheme not in URL_SCHEMES:
                found.append(f"href scheme {scheme}")
    return found


def _scheme(url: str) -> str | None:
    """The scheme a browser would read (WHATWG URL: C0 controls and spaces trimmed, tabs and
    newlines removed anywhere), or None for a relative URL."""
    url = re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(33)))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return match.group(1).lower() if match else None


HOSTILE = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//evil.example/x.js></SCRIPT>", "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>", "<iframe src=javascript:alert(1)>", '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox)", "![x](javascript:alert(1))", '[x](https://ok.example "t\\" onmouseover=\\"alert(1))',
    "<div style=\"background:url(javascript:alert(1))\">", "<!-- <script>x</script> -->", "<style>*{}</style>",
    "<object data=x>", "<form action=//evil><input name=p></form>", "&lt;script&gt;", "&#60;script&#62;",
    "<<script>script>alert(1)<</script>/script>", "[x](java\tscript:alert(1))", "[x](java&#9;script:alert(1))", "[x](java&#x0A;script:alert(1))",
    "[x](&#x20;javascript:alert(1))", "[x](<javascript:alert(1)>)", "[x](\x01javascript:alert(1))", "[x](&#106;avascript:alert(1))",
    "<p onclick=alert(1)>hi</p>", "<a href='https://ok' onclick=alert(1)>", "<meta http-equiv=refresh content=0;url=x>",
    "`<script>`", "    <script>indented code</script>", "*", "_", "[", "<", ">", "\n", "# ", "- ", "1. ", "> ",
    "**", "<http://ok.example>", "<javascript:alert(1)>", "[x]: javascript:alert(1)\n\n[x]", "\\<script>",
]
WORDS = ["hello", "Knock", "door", "ok", "[link](https://legwork.example/a?b=c)", "*em*", "**strong**"]


def _markdown():
    pieces = st.sampled_from(HOSTILE + WORDS) | st.text(alphabet=st.sampled_from(list("<>/=\"' &#;:()[]!*_`\n-abcsript")),
                                                       max_size=30)
    return st.lists(pieces, max_size=12).map(lambda parts: " ".join(parts))


@pytest.mark.parametrize("text", HOSTILE)
def test_each_hostile_snippet_comes_out_harmless(text):
    html = str(to_html(text))
    assert _problems(html) == [], html
    assert "<script" not in html.lower()


@settings(max_examples=400, deadline=None)
@given(text=_markdown())
def test_no_markdown_produces_anything_but_plain_formatting(text):
    html = str(to_html(text))
    assert _problems(html) == [], (text, html)
    assert "<script" not in html.lower()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_at_all_renders(text):
    assert _problems(str(to_html(text))) == []


def test_plain_formatting_survives():
    html = str(to_html("## Before you knock\n\n- one\n- **two**\n\n1. *first*\n\n"
                       "[Legwork](https://legwork.example/x) and [mail](mailto:a@b.example) and [call](tel:+441234)"))
    assert "<h2>Before you knock</h2>" in html
    assert "<strong>two</strong>" in html and "<ul>" in html and "<em>first</em>" in html
    assert 'href="https://legwork.example/x"' in html and 'href="mailto:a@b.example"' in html and 'href="tel:+441234"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_raw_html_is_shown_as_text_not_dropped_silently():
    html = str(to_html("Use <b>bold</b> and <script>alert(1)</script>"))
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "&lt;script&gt;" in html
    assert "<b>" not in html


def test_unsafe_link_keeps_its_text_but_loses_its_target():
    html = str(to_html("[click me](javascript:alert(1))"))
    assert "click me" in html and "href" not in html
