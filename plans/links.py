"""The links from an action plan's measures to the development plan they implement.

A progress measure of a strategic action plan names the goals or tasks of
the municipality's development plan it carries out (docs/planning-law.md).
The link is by ``key`` (``MeasureLink``): both plans get new versions, and
a key stays the same node in every version of its plan, so a link made in
the 2025 action plan still finds the task in the development plan's
2026 version.

The writes here are called by ``plans.services`` under the action plan
version's lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from plans.models import Goal, LinkLevel, Measure, MeasureKind, MeasureLink, Plan, Task

# The arguments of node_create and node_save that are not model fields, in
# the order check_measure_fields takes them.
_OTHER_FIELDS = ("co_executors", "funding", "implements")


def refuse_continuing_links(kind: str, links) -> None:
    """A continuing activity implements nothing: only progress measures carry
    out the development plan (docs/planning-law.md). The one rule for the
    services and the workbook import."""
    if kind == MeasureKind.CONTINUING and links:
        raise ValidationError(
            {
                "implements": _(
                    "A continuing activity does not implement the development plan: "
                    "only a progress measure does."
                )
            }
        )


def check_measure_fields(
    plan: Plan,
    fields: Mapping,
    co_executors=None,
    funding=None,
    implements: Iterable[str | uuid.UUID] | None = None,
    *,
    current: Measure | None = None,
) -> list[tuple[str, uuid.UUID]] | None:
    """Check a measure's fields against its plan's kind; the cleaned links, if given.

    A field the kind does not use (``plans.kinds``) is refused; a value
    equal to the field's empty default passes, so that a form or a workbook
    with an empty column is not refused. ``implements`` is cleaned by
    ``clean_links``. A continuing activity implements nothing (only progress
    measures carry out the development plan, docs/planning-law.md): links
    given for one, or a measure with links (``current``, the stored row) made
    continuing without dropping them, are refused. Returns None when
    ``implements`` was not given (the links stay as they are).
    """
    given = {name for name, value in fields.items() if value not in (None, "", [])}
    given -= {"title", "description"}
    others = (co_executors, funding, implements)
    given |= {name for name, value in zip(_OTHER_FIELDS, others, strict=True) if value}
    if "kind" in given and fields["kind"] == MeasureKind.PROGRESS:
        given.discard("kind")  # the column's default, whatever the kind of plan
    plan.kind_spec.refuse_unused_measure_fields(given)
    cleaned = clean_links(plan, implements) if implements is not None else None

    kind = fields.get("kind") or (current.kind if current is not None else MeasureKind.PROGRESS)
    refuse_continuing_links(kind, cleaned)
    if kind == MeasureKind.CONTINUING:
        if cleaned is None and current is not None and current.links.exists():
            raise ValidationError(
                {
                    "kind": _(
                        "This measure implements goals or tasks of the development plan: "
                        "remove those links before making it a continuing activity."
                    )
                }
            )
    return cleaned


def clean_links(plan: Plan, keys: Iterable[str | uuid.UUID]) -> list[tuple[str, uuid.UUID]]:
    """(level, key) of each goal or task of ``plan``'s development plan in ``keys``.

    Refused (ValidationError under ``implements``) for a kind of plan whose
    measures implement nothing, for an action plan that names no development
    plan, and for a key that is no goal or task of any version of it. Order
    is kept, repeats dropped.
    """
    if not plan.kind_spec.uses("implements"):
        raise ValidationError(
            {"implements": _("Only an action plan's measures implement a development plan.")}
        )
    parsed: list[uuid.UUID] = []
    for raw in keys:
        try:
            key = raw if isinstance(raw, uuid.UUID) else uuid.UUID(str(raw))
        except ValueError:
            raise ValidationError(
                {"implements": _("“%(key)s” is not the key of a goal or task.") % {"key": raw}}
            ) from None
        if key not in parsed:
            parsed.append(key)
    if not parsed:
        return []
    if plan.development_plan_id is None:
        raise ValidationError(
            {
                "implements": _(
                    "This action plan names no development plan: choose the development "
                    "plan it implements first."
                )
            }
        )
    # Any version of the development plan: a task its draft adds may be
    # linked before the draft is approved, and a link to a task a later
    # version dropped stays visible as such instead of disappearing.
    found: dict[uuid.UUID, str] = {}
    for model, level in ((Goal, LinkLevel.GOAL), (Task, LinkLevel.TASK)):
        for key in model.objects.filter(
            version__plan_id=plan.development_plan_id, key__in=parsed
        ).values_list("key", flat=True):
            found[key] = level
    missing = [str(key) for key in parsed if key not in found]
    if missing:
        raise ValidationError(
            {
                "implements": _("Not a goal or task of the development plan: %(keys)s")
                % {"keys": ", ".join(missing)}
            }
        )
    return [(found[key], key) for key in parsed]


def replace_links(measure: Measure, cleaned: list[tuple[str, uuid.UUID]]) -> None:
    """Make ``measure``'s links exactly ``cleaned``, writing only what changes."""
    existing = {link.key: link for link in MeasureLink.objects.filter(measure=measure)}
    for position, (level, key) in enumerate(cleaned, start=1):
        link = existing.pop(key, None)
        if link is None:
            MeasureLink(measure=measure, level=level, key=key, position=position).save()
        elif link.position != position or link.level != level:
            link.position, link.level = position, level
            link.save()
    for stale in existing.values():
        stale.delete()
