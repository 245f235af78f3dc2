"""Indicators with their yearly targets and description cards."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planportal.years import is_valid_year
from plans.models import (
    Indicator,
    IndicatorTarget,
    Node,
)

from .common import expect_revision, lock_editable_version, require_staff

if TYPE_CHECKING:
    from planportal.roles import AnyUser


# The fields of an indicator that ``indicator_save`` sets from ``fields``; its
# owner and version are where it was created (nothing moves between versions),
# its key, position and revision the services' business.
INDICATOR_FIELDS = frozenset(
    {
        "kind",
        "name",
        "unit",
        "baseline_value",
        "baseline_year",
        "data_source",
        "direction",
        # The rest of the description card (docs/planning-law.md).
        "code",
        "definition",
        "calculation_method",
        "frequency",
        "responsible_body",
        "remarks",
    }
)


def _clean_targets(targets: Iterable[Mapping] | None) -> list[tuple[int, Decimal]]:
    cleaned = {}
    for item in targets or []:
        year, value = int(item["year"]), Decimal(str(item["value"]))
        if year in cleaned:
            raise ValidationError({"targets": _("Year %(year)s appears twice.") % {"year": year}})
        if not is_valid_year(year):
            raise ValidationError({"targets": _("%(year)s is not a valid year.") % {"year": year}})
        cleaned[year] = value
    return sorted(cleaned.items())


@transaction.atomic
def indicator_save(
    *,
    user: AnyUser,
    owner: Node | None = None,
    indicator: Indicator | None = None,
    revision: int | None = None,
    targets: Iterable[Mapping] | None = None,
    **fields: Any,
) -> Indicator:
    """Create an indicator on ``owner`` or change ``indicator``.

    Preconditions: ``user`` is staff; the version is a draft; ``owner`` is a
    goal, task or measure; ``fields`` are the indicator's own
    (``INDICATOR_FIELDS``: an indicator never changes its owner); for a
    change, ``revision`` (when given) is the indicator's current one (else
    ``ConflictError``, nothing written). ``targets`` (a list of
    ``{"year", "value"}``), when given, replaces the yearly targets.
    """
    require_staff(user)
    unknown = set(fields) - INDICATOR_FIELDS
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    # ``owner`` is given when ``indicator`` is not (the precondition above).
    version_id = indicator.version_id if indicator else owner.version_id  # type: ignore[union-attr]
    version = lock_editable_version(version_id)
    kind = version.plan.kind_spec
    cleaned_targets = _clean_targets(targets) if targets is not None else None
    if indicator is None:
        level = owner.tree_level  # type: ignore[union-attr]  # given without an indicator
        if not level.has_indicators or not kind.level(level).has_indicators:
            raise ValidationError(
                _("%(level)s of this kind of plan have no indicators.")
                % {"level": kind.level(level).plural_label}
            )
        fields.setdefault("kind", kind.level(level).default_indicator_kind)
        position = Indicator.objects.filter(**{level.name: owner}).count() + 1
        indicator = Indicator(
            version_id=version_id, position=position, **{level.name: owner}, **fields
        )
    else:
        indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
        expect_revision(indicator, revision)
        for name, value in fields.items():
            setattr(indicator, name, value)
        indicator.revision += 1
    kind.refuse_indicator_kind(indicator.owner_level, indicator.kind)
    indicator.full_clean(exclude=["key", "version", "goal", "task", "measure"])
    indicator.save()
    if cleaned_targets is not None:
        existing = {t.year: t for t in IndicatorTarget.objects.filter(indicator=indicator)}
        for year, value in cleaned_targets:
            target = existing.pop(year, None)
            if target is None:
                IndicatorTarget(indicator=indicator, year=year, value=value).save()
            elif target.value != value:
                target.value = value
                target.save()
        for stale in existing.values():
            stale.delete()
    return indicator


@transaction.atomic
def indicator_delete(
    *, user: AnyUser, indicator: Indicator, expected_revision: int | None = None
) -> None:
    """Delete an indicator with its targets.

    Preconditions: ``user`` is staff; the version is a draft; when given,
    ``expected_revision`` is the indicator's current revision (checked by
    reading under the locks: a refused delete writes nothing).
    """
    require_staff(user)
    lock_editable_version(indicator.version_id)
    current = Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    if current is None:
        return
    expect_revision(current, expected_revision)
    Indicator.objects.filter(pk=current.pk).delete()
