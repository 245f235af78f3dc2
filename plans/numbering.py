"""The codes of a version's nodes: "D", "D.1", "D.1.3", "D.1.3.1".

Or "1.1.3.1" in digits, or an action plan's two-digit programme codes:
"01", "01.01", "01.01.03", "01.01.03.01".

Codes are positional, so every service that adds, removes or moves a node
renumbers the version afterwards, under the version's lock.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING

from plans.levels import LEVELS, PRIORITY, Level
from plans.models import NumberingStyle, PlanVersion

if TYPE_CHECKING:
    from plans.levels import AnyNode


def priority_label(index: int, style: str) -> str:
    """1 → "A" (or "1", or "01"), 26 → "Z", 27 → "AA"."""
    if style == NumberingStyle.DIGITS:
        return str(index)
    if style == NumberingStyle.PADDED:
        return f"{index:02d}"
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


def child_label(index: int, style: str) -> str:
    """The ordinal of a node under its parent: "3", or "03" in two-digit codes."""
    return f"{index:02d}" if style == NumberingStyle.PADDED else str(index)


def version_renumber(version: PlanVersion) -> None:
    """Give every node of the version its code and a dense position (1, 2, 3 …).

    Codes are positional: a priority's letter (or digit) and each level's
    ordinal under its parent. One query per level; only rows whose code or
    position changed are written, so an edit of one title writes nothing here.
    """
    style = version.plan.numbering
    children: dict[tuple[str, int | None], list[AnyNode]] = {}
    for level in LEVELS.values():
        for node in level.model.objects.filter(version=version).order_by("position", "id"):
            parent_id = None if level.is_top else getattr(node, f"{level.parent_field}_id")
            children.setdefault((level.name, parent_id), []).append(node)
    changed: dict[str, list[AnyNode]] = {level.name: [] for level in LEVELS.values()}

    def number(level: Level, parent_id, parent_code: str) -> None:
        for index, node in enumerate(children.get((level.name, parent_id), []), start=1):
            code = (
                priority_label(index, style)
                if level.is_top
                else f"{parent_code}.{child_label(index, style)}"
            )
            if node.code != code or node.position != index:
                node.code, node.position = code, index
                changed[level.name].append(node)
            if level.child is not None:
                number(level.child, node.id, code)

    number(PRIORITY, None, "")
    for name, nodes in changed.items():
        if nodes:
            # bulk_update skips save() (and so the per-row frozen guard); the
            # caller holds the version lock and has checked it is a draft.
            # The rows of ``LEVELS[name].model`` (mypy pairs each model of the
            # union with the list of any of them).
            LEVELS[name].model.objects.bulk_update(nodes, ["code", "position"], batch_size=500)  # type: ignore[arg-type]
