"""Every write of monitoring data goes through here.

Keyword-only, one transaction each. Rounds are staff's (the strategy
coordinator's); actual values and implementation data may be written by staff
and by the members of the unit responsible (``permissions``), only while the
year's round is open, and only for items of the plan's version in force.
A correction keeps the value it replaced (history) and bumps ``revision``; a
write based on an older revision is refused (``StaleEntry``) rather than
overwriting someone else's correction.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal import pagecache, roles
from planportal.errors import Conflict, NotAllowed
from planportal.extensions import version_record_changed
from plans.models import FundingSource, Indicator, Measure, Plan, PlanVersion

from . import permissions
from .models import (
    STATUSES_NEEDING_REASON,
    ActualValue,
    ImplementationStatus,
    ItemComment,
    ItemKind,
    MeasureImplementation,
    MonitoringRound,
    RoundStatus,
    SpentLine,
    UnitMembership,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from plans.models import Unit


class RoundNotOpen(Conflict):
    """Values are entered only for a year whose round is open."""

    code = "round_not_open"


class RoundExists(Conflict):
    code = "already_done"


class StaleEntry(Conflict):
    """Someone changed the value after this user read it."""

    code = "stale_revision"

    def __init__(self, current: ActualValue | MeasureImplementation) -> None:
        super().__init__(_("Someone else changed this value after you read it."))
        self.current = current

    def details(self) -> dict:
        return {"current_revision": self.current.revision}


# The one staff guard (planportal.roles), worded for monitoring.
require_staff = partial(
    roles.require_staff,
    message=gettext_lazy("Only the strategy coordinator (administration staff) can do this."),
)


# --- Rounds ------------------------------------------------------------------------


@transaction.atomic
def round_open(*, user: User, plan: Plan, year: int, due: datetime.date) -> MonitoringRound:
    """Open the monitoring round of ``plan`` for ``year``, due on ``due``.

    Preconditions: ``user`` is staff; the plan has a version in force; no
    round of that year exists (else ``RoundExists``); the year is within the
    plan's period or after it (a report on the last year comes later).
    """
    require_staff(user)
    if PlanVersion.objects.in_force_for(plan) is None:
        raise ValidationError(
            {"year": _("The plan has no version in force: there is nothing to monitor yet.")}
        )
    if not plan.period_start <= year <= plan.period_end + 1:
        raise ValidationError(
            {
                "year": _("The year must be within the plan's period (%(start)s–%(end)s).")
                % {"start": plan.period_start, "end": plan.period_end}
            }
        )
    if MonitoringRound.objects.filter(plan=plan, year=year).exists():
        raise RoundExists(_("The round for %(year)s exists already.") % {"year": year})
    try:
        with transaction.atomic():
            return MonitoringRound.objects.create(plan=plan, year=year, due=due, opened_by=user)
    except IntegrityError:
        # Someone opened it a moment ago: the database settles the race.
        raise RoundExists(_("The round for %(year)s exists already.") % {"year": year}) from None


@transaction.atomic
def round_publish(*, user: User, round: MonitoringRound) -> MonitoringRound:
    """Publish ``round``: its year's values become public; no more entries.

    Preconditions: ``user`` is staff; the round is open.
    """
    require_staff(user)
    current = MonitoringRound.objects.select_for_update().get(pk=round.pk)
    if not current.is_open:
        raise RoundNotOpen(_("This round has been published already."))
    current.status = RoundStatus.PUBLISHED
    current.published_at = timezone.now()
    current.published_by = user
    current.save()
    # The year's values now show on the node pages an anonymous reader may
    # be served whole from the page cache (monitoring/panels.py); the
    # model's signal bumps too, this says why it matters here.
    pagecache.bump_on_commit("monitoring")
    # The plan's PDF shows the published rounds (monitoring/pdf.py): its stored
    # files must be made again. Through the hook: monitoring never imports documents.
    version = PlanVersion.objects.in_force_for(current.plan_id)
    if version is not None:
        version_record_changed(version)
    return current


def _open_round(plan_id: int, year: int) -> MonitoringRound:
    found = MonitoringRound.objects.select_for_update().filter(plan_id=plan_id, year=year).first()
    if found is None or not found.is_open:
        raise RoundNotOpen(
            _("There is no open monitoring round for %(year)s: values cannot be entered.")
            % {"year": year}
        )
    return found


def _in_force(version_id: int) -> PlanVersion:
    version = PlanVersion.objects.select_related("plan").get(pk=version_id)
    if not version.is_in_force:
        raise ValidationError(
            _("Monitoring data are entered for the version in force; this one is %(status)s.")
            % {"status": version.get_status_display().lower()}
        )
    return version


def _expect(
    current: ActualValue | MeasureImplementation | None, expected_revision: int | None
) -> None:
    if current is not None and expected_revision is not None:
        if current.revision != expected_revision:
            raise StaleEntry(current)


def _decimal(value: object, field: str, *, places: int, negative: bool = True) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\u00a0", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    if not negative and number < 0:
        raise ValidationError({field: _("The amount cannot be negative.")})
    if abs(number) >= Decimal(10) ** (14 if places == 4 else 12):
        raise ValidationError({field: _("The number is too large.")})
    return number.quantize(Decimal(1).scaleb(-places))


# --- Actual values -----------------------------------------------------------------


@transaction.atomic
def actual_set(
    *,
    user: User,
    indicator: Indicator,
    year: int,
    value: object,
    note: str = "",
    measured_on: datetime.date | None = None,
    source_note: str = "",
    expected_revision: int | None = None,
) -> tuple[ActualValue, bool]:
    """Enter (or correct) ``indicator``'s actual value for ``year``; (value, created).

    Preconditions: ``user`` is staff or a member of a unit responsible for
    the indicator (``permissions``), else ``NotAllowed``; the indicator is of
    the plan's version in force; the year's round is open (``RoundNotOpen``);
    ``expected_revision``, when given, is the stored value's revision (else
    ``StaleEntry``, nothing written).
    """
    if not permissions.can_enter_indicator(user, indicator):
        raise NotAllowed(_("You may enter values only for your unit's items."))
    version = _in_force(indicator.version_id)
    _open_round(version.plan_id, year)
    number = _decimal(value, "value", places=4)
    current = (
        ActualValue.objects.select_for_update()
        .filter(plan_id=version.plan_id, indicator_key=indicator.key, year=year)
        .first()
    )
    _expect(current, expected_revision)
    fields = {
        "value": number,
        "note": (note or "").strip(),
        "measured_on": measured_on,
        "source_note": (source_note or "").strip(),
    }
    if current is None:
        entry = ActualValue(
            plan_id=version.plan_id,
            indicator_key=indicator.key,
            year=year,
            entered_by=user,
            **fields,
        )
        entry.full_clean(exclude=["plan", "entered_by"])
        entry.save()
        return entry, True
    if all(getattr(current, name) == new for name, new in fields.items()):
        return current, False  # nothing changed: no new history row, no new revision
    for name, new in fields.items():
        setattr(current, name, new)
    current.entered_by = user
    current.revision += 1
    current.full_clean(exclude=["plan", "entered_by"])
    current.save()
    return current, False


# --- Implementation of measures ----------------------------------------------------------


@transaction.atomic
def implementation_set(
    *,
    user: User,
    measure: Measure,
    year: int,
    status: str,
    note: str = "",
    spent: Iterable[Mapping] | None = None,
    expected_revision: int | None = None,
) -> tuple[MeasureImplementation, bool]:
    """Enter (or correct) how ``measure`` was carried out in ``year``.

    Preconditions as ``actual_set``; ``status`` is an ``ImplementationStatus``
    and a delayed or cancelled measure has a ``note`` saying why; ``spent``
    (``{"source": code or id, "amount"}``), when given, replaces the money
    spent, one line per source.
    """
    if not permissions.can_enter_measure(user, measure):
        raise NotAllowed(_("You may enter values only for your unit's items."))
    version = _in_force(measure.version_id)
    _open_round(version.plan_id, year)
    if status not in ImplementationStatus.values:
        raise ValidationError({"status": _("Choose one of the statuses.")})
    note = (note or "").strip()
    if status in STATUSES_NEEDING_REASON and not note:
        raise ValidationError({"note": _("Say why the measure is delayed or cancelled.")})
    lines = _clean_spent(spent) if spent is not None else None
    current = (
        MeasureImplementation.objects.select_for_update()
        .filter(plan_id=version.plan_id, measure_key=measure.key, year=year)
        .first()
    )
    _expect(current, expected_revision)
    created = current is None
    if current is None:
        current = MeasureImplementation(
            plan_id=version.plan_id, measure_key=measure.key, year=year, status=status, note=note
        )
    else:
        if current.status == status and current.note == note and lines is None:
            return current, False
        current.status, current.note = status, note
        current.revision += 1
    current.entered_by = user
    current.save()
    if lines is not None:
        existing = {line.source_id: line for line in current.spent.all()}
        for source_id, amount in lines.items():
            line = existing.pop(source_id, None)
            if line is None:
                SpentLine.objects.create(implementation=current, source_id=source_id, amount=amount)
            elif line.amount != amount:
                line.amount = amount
                line.save()
        for stale in existing.values():
            stale.delete()
    return current, created


def _clean_spent(spent: Iterable[Mapping]) -> dict[int, Decimal]:
    by_code = {s.code: s.pk for s in FundingSource.objects.all()}
    by_id = set(by_code.values())
    cleaned: dict[int, Decimal] = {}
    for line in spent:
        source = line.get("source")
        source_id = by_code.get(source) if isinstance(source, str) else source
        if source_id not in by_id:
            raise ValidationError(
                {"spent": _("Unknown funding source: %(source)s.") % {"source": source}}
            )
        if source_id in cleaned:
            raise ValidationError({"spent": _("A funding source appears twice.")})
        cleaned[source_id] = _decimal(line.get("amount"), "spent", places=2, negative=False)
    return cleaned


# --- Unit members ------------------------------------------------------------------------


@transaction.atomic
def membership_set(*, user: User, unit: Unit, members: Iterable[User]) -> None:
    """Make ``members`` exactly the unit's members (staff only)."""
    require_staff(user)
    wanted = {member.pk for member in members}
    UnitMembership.objects.filter(unit=unit).exclude(user_id__in=wanted).delete()
    have = set(UnitMembership.objects.filter(unit=unit).values_list("user_id", flat=True))
    UnitMembership.objects.bulk_create(
        [UnitMembership(unit=unit, user_id=pk) for pk in wanted - have]
    )


# --- Questions on a value ------------------------------------------------------------------


def item_of(round: MonitoringRound, kind: str, key: uuid.UUID | str) -> Indicator | Measure:
    """The indicator or measure ``key`` of the version in force of ``round``'s plan.

    Raises ``ObjectDoesNotExist`` (404) for an unknown kind or key.
    """
    version = PlanVersion.objects.in_force_for(round.plan_id)
    if version is None or kind not in ItemKind.values:
        raise Measure.DoesNotExist
    if kind == ItemKind.INDICATOR:
        return Indicator.objects.select_related("version__plan").get(version=version, key=key)
    return Measure.objects.select_related("version__plan").get(version=version, key=key)


def can_enter(user: User, item: Indicator | Measure) -> bool:
    if isinstance(item, Indicator):
        return permissions.can_enter_indicator(user, item)
    return permissions.can_enter_measure(user, item)


def units_of(item: Indicator | Measure) -> frozenset[int]:
    if isinstance(item, Indicator):
        return permissions.units_of_indicator(item)
    return permissions.units_of_measure(item)


@transaction.atomic
def comment_add(
    *,
    user: User,
    round: MonitoringRound,
    item: Indicator | Measure,
    text: str,
    is_question: bool = False,
    url: str = "",
) -> ItemComment:
    """Comment on ``item`` in ``round``; the coordinator's question notifies the
    item's unit members, a unit's answer notifies who asked.

    Preconditions: ``user`` is staff or may enter the item (``NotAllowed``);
    only staff ask questions; the text is not empty.
    """
    if not can_enter(user, item):
        raise NotAllowed(_("You may comment only on your unit's items."))
    staff = roles.is_staff_member(user)
    if is_question and not staff:
        raise NotAllowed(_("Only the strategy coordinator asks questions on values."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the comment.")})
    kind = ItemKind.INDICATOR if isinstance(item, Indicator) else ItemKind.MEASURE
    comment = ItemComment.objects.create(
        round=round,
        item_kind=kind,
        item_key=item.key,
        author=user,
        text=text,
        is_question=is_question,
    )
    name = str(item.name if isinstance(item, Indicator) else item.title)
    from . import notices  # notifications is imported only where a message leaves

    if is_question:
        notices.notify_question(comment, item_name=name, url=url, unit_ids=units_of(item))
    elif not staff:
        askers = (
            ItemComment.objects.filter(
                round=round, item_kind=kind, item_key=item.key, is_question=True, resolved_at=None
            )
            .exclude(author=None)
            .values_list("author_id", flat=True)
        )
        from django.contrib.auth import get_user_model

        users = get_user_model().objects.filter(pk__in=list(askers))
        notices.notify_answer(comment, item_name=name, url=url, users=users)
    return comment


@transaction.atomic
def comment_resolve(*, user: User, comment: ItemComment) -> ItemComment:
    """Mark the coordinator's question ``comment`` as resolved.

    Preconditions: ``user`` is staff; the comment is a question (else 400);
    resolving a resolved question changes nothing.
    """
    require_staff(user)
    if not comment.is_question:
        raise ValidationError(_("Only a question can be resolved."))
    if comment.resolved_at is None:
        comment.resolved_at = timezone.now()
        comment.save(update_fields=["resolved_at"])
    return comment
