"""A module's Markdown as HTML a page may show: plain formatting and safe links, nothing else.

Two locks, each enough on its own for script: Markdown's raw-HTML handling is switched off (an
organiser's ``<script>`` or ``<img onerror>`` is shown as text, never passed through), and nh3
then keeps only the tags, attributes and URL schemes listed here from whatever Markdown made.
"""
from __future__ import annotations

import markdown
import nh3
from markdown.extensions import Extension
from markupsafe import Markup

TAGS = {"p", "br", "hr", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i",
        "blockquote", "code", "pre", "a"}
ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Whatever is inside these goes too, not just the tags (a <script>'s text is no reading matter).
DROP_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select"}


class _NoRawHtml(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def to_html(text: str) -> Markup:
    """Sanitised HTML for ``text`` (Markdown), ready to put in a template."""
    html = markdown.markdown(text or "", extensions=[_NoRawHtml()], output_format="html")
    return Markup(nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                            clean_content_tags=DROP_WITH_CONTENT, strip_comments=True,
                            link_rel="noopener noreferrer nofollow"))
