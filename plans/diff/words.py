"""Word diffs of two texts, for showing what changed in a title or description."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Words (\w is Unicode-aware, so "žaliųjų" is one word), runs of white space and
# single punctuation marks: joined back together they give the text unchanged.
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` → ``new`` as segments; the equal and deleted ones spell ``old``,
    the equal and inserted ones spell ``new``."""
    a, b = _TOKEN.findall(old or ""), _TOKEN.findall(new or "")
    segments: list[Segment] = []
    deleted: list[str]
    inserted: list[str]
    deleted, inserted = [], []

    def flush():
        for op, tokens in (("delete", deleted), ("insert", inserted)):
            if tokens:
                segments.append(Segment(op, "".join(tokens)))
                tokens.clear()

    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        # A lone space between two changed words is not worth keeping as
        # "equal": "del Priemonė ins Nauja, space, del 109 ins antraštė" reads
        # worse than one deleted and one inserted phrase.
        between_changes = 0 < index < len(opcodes) - 1 and not "".join(a[i1:i2]).strip()
        if tag == "equal" and not between_changes:
            flush()
            segments.append(Segment("equal", "".join(a[i1:i2])))
        else:
            deleted.extend(a[i1:i2])
            inserted.extend(b[j1:j2])
    flush()
    return segments
