"""The narratives of a yearly report: staff's text, made safe to show.

Staff write in a plain text box: a blank line starts a new paragraph, lines
starting with "- " or "* " make a bulleted list and "1. " a numbered one.
Text pasted as HTML (from a word processor) is kept to paragraphs, lists,
emphasis, line breaks and links; everything else (scripts, styles, event
attributes, images, tables) is removed by nh3, the ammonia sanitiser, so a
narrative can never run anything in a reader's browser or in the PDF.
"""

from __future__ import annotations

import re
from html import escape, unescape
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from .models import Report

NARRATIVE_MAX_LENGTH = 20_000
ALLOWED_TAGS = {"p", "ul", "ol", "li", "strong", "em", "b", "i", "br", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Text holding one of the tags a narrative keeps is taken as pasted HTML;
# anything else is plain text, escaped, so "<b>" typed as such shows as typed.
_TAG = re.compile(r"<\s*/?\s*(p|ul|ol|li|br|strong|em|b|i|a)\b[^>]*>", re.I)
_BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


def sanitise(html: str) -> str:
    """HTML cut down to what a narrative may hold (module docstring)."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return cleaned.strip()


def _block(lines: list[str]) -> str:
    bullets = [_BULLET.match(line) for line in lines]
    if all(bullets):
        items = "".join(f"<li>{escape(m.group(1).strip())}</li>" for m in bullets if m)
        return f"<ul>{items}</ul>"
    numbered = [_NUMBERED.match(line) for line in lines]
    if all(numbered):
        items = "".join(f"<li>{escape(m.group(1).strip())}</li>" for m in numbered if m)
        return f"<ol>{items}</ol>"
    return "<p>" + "<br>".join(escape(line.strip()) for line in lines) + "</p>"


def to_html(text: str) -> str:
    """What staff typed, as sanitised HTML: plain text becomes paragraphs and
    lists (module docstring); HTML is sanitised."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    if _TAG.search(text):
        return sanitise(text)
    blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    return sanitise(
        "".join(_block([line for line in b.split("\n") if line.strip()]) for b in blocks)
    )


def to_text(html: str) -> str:
    """A stored narrative back in the form's plain-text notation, for editing."""
    if not html:
        return ""
    text = html
    text = re.sub(r"<li>(.*?)</li>", lambda m: "- " + m.group(1) + "\n", text, flags=re.S)
    text = re.sub(r"</?(ul|ol)>", "\n", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = re.sub(r"</p>\s*", "\n\n", text)
    text = re.sub(r"<p>", "", text)
    # Keep inline emphasis and links as HTML: to_html() sanitises them again.

    text = unescape(re.sub(r"<(?!/?(strong|em|b|i|a)\b)[^>]+>", "", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def narratives_of(report: Report) -> dict[str, str]:
    """The report's narratives by section name (one query)."""
    return dict(report.narratives.values_list("section", "html"))
