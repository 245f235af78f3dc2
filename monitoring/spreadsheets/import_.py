"""Writing a round workbook back: all or nothing, conflicts reported, not overwritten.

``round_import`` reads the whole workbook first (``reader``), then, in one
transaction and with the stored entries locked, compares each row with what
is stored: a row equal to it is skipped; a row whose item was changed since
the download (its revision is not the one in the file) is a conflict; the
rest are written through ``monitoring.services.actual_set`` and
``implementation_set``, which check the permissions and the open round
again. Any error, of a cell or of a service, rolls back every write.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from monitoring import services
from monitoring.models import ActualValue, MeasureImplementation, MonitoringRound
from planportal.errors import NotAllowed, messages_of
from plans.spreadsheets.files import CellError, WorkbookInvalid

from . import layout
from .items import may_use_workbook, round_items
from .reader import IndicatorRow, MeasureRow, read_round_workbook

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class ImportResult:
    written: int
    unchanged: int


def _shown(value) -> str:
    # 12.5000 as the workbook's reader writes it: 12,5.
    return format(value.normalize(), "f").replace(".", ",")


@transaction.atomic
def round_import(*, user: User, round: MonitoringRound, data: bytes) -> ImportResult:
    """Write the actual values and implementation data of the workbook ``data``.

    Preconditions: ``user`` is staff or a unit member (else ``NotAllowed``);
    the round is open; ``data`` is a workbook of ``export.round_workbook``'s
    layout whose rows are items ``user`` may enter and whose revisions are
    the stored ones. Otherwise ``WorkbookInvalid`` names every bad cell and
    nothing is written.
    """
    if not may_use_workbook(user):
        raise NotAllowed(_("You may enter values only for your unit's items."))
    round = MonitoringRound.objects.select_for_update().get(pk=round.pk)
    if not round.is_open:
        raise WorkbookInvalid(
            [CellError("", None, "", _("This round has been published: values cannot be entered."))]
        )
    items = round_items(round, user)
    parsed = read_round_workbook(data, items)
    errors: list[CellError] = []
    # Locked until the end of the transaction: nobody corrects a value
    # between the comparison below and the write.
    actuals = {
        entry.indicator_key: entry
        for entry in ActualValue.objects.select_for_update().filter(
            plan_id=round.plan_id,
            year=round.year,
            indicator_key__in=[row.indicator.key for row in parsed.indicators],
        )
    }
    implementations = {
        entry.measure_key: entry
        for entry in MeasureImplementation.objects.select_for_update()
        .filter(
            plan_id=round.plan_id,
            year=round.year,
            measure_key__in=[row.measure.key for row in parsed.measures],
        )
        .prefetch_related("spent")
    }
    written = unchanged = 0
    for indicator_row in parsed.indicators:
        outcome = _indicator(user, round, indicator_row, actuals, errors)
        written += outcome == "written"
        unchanged += outcome in ("unchanged", "empty")
    for measure_row in parsed.measures:
        outcome = _measure(user, round, measure_row, implementations, errors)
        written += outcome == "written"
        unchanged += outcome in ("unchanged", "empty")
    if errors:
        raise WorkbookInvalid(errors)  # the transaction rolls back what was written
    return ImportResult(written=written, unchanged=unchanged)


def _conflict(sheet: str, row: int, column: str, now: str) -> CellError:
    return CellError(
        sheet,
        row,
        column,
        _("changed after the download: it is now %(now)s. Download the workbook again.")
        % {"now": now},
    )


def _refused(sheet: str, row: int, error: Exception) -> CellError:
    detail = getattr(error, "message_dict", None)
    column = layout.KEY.header
    if isinstance(error, ValidationError) and detail:
        name = next(iter(detail))
        column = {
            "value": "Nauja faktinė reikšmė",
            "measured_on": "Reikšmės data",
            "note": "Pastaba" if sheet == layout.INDICATOR_SHEET else "Priežastis ar pastaba",
            "status": "Būsena",
        }.get(name, column)
    return CellError(sheet, row, column, " ".join(messages_of(error)))


def _indicator(user, round, row: IndicatorRow, actuals, errors) -> str:
    sheet, stored = layout.INDICATOR_SHEET, actuals.get(row.indicator.key)
    if row.value is None:
        return "empty" if stored is None else "unchanged"
    if stored is not None and (
        stored.value == row.value
        and stored.note == row.note
        and stored.measured_on == row.measured_on
    ):
        return "unchanged"
    if (stored.revision if stored else 0) != row.revision:
        now = _shown(stored.value) if stored else "—"
        errors.append(_conflict(sheet, row.row, "Nauja faktinė reikšmė", now))
        return "conflict"
    try:
        services.actual_set(
            user=user,
            indicator=row.indicator,
            year=round.year,
            value=row.value,
            note=row.note,
            measured_on=row.measured_on,
            source_note=stored.source_note if stored else "",
            expected_revision=row.revision or None,
        )
    except (ValidationError, PermissionDenied) as error:
        errors.append(_refused(sheet, row.row, error))
        return "refused"
    return "written"


def _measure(user, round, row: MeasureRow, implementations, errors) -> str:
    sheet, stored = layout.MEASURE_SHEET, implementations.get(row.measure.key)
    if row.status is None:
        if stored is None:
            return "empty"
        errors.append(CellError(sheet, row.row, "Būsena", _("choose the status of the measure.")))
        return "refused"
    if stored is not None:
        stored_spent = {line.source_id: line.amount for line in stored.spent.all()}
        if stored.status == row.status and stored.note == row.note and stored_spent == row.spent:
            return "unchanged"
    if (stored.revision if stored else 0) != row.revision:
        now = layout.status_words().get(stored.status, stored.status) if stored else "—"
        errors.append(_conflict(sheet, row.row, "Būsena", now))
        return "conflict"
    try:
        services.implementation_set(
            user=user,
            measure=row.measure,
            year=round.year,
            status=row.status,
            note=row.note,
            spent=[{"source": source, "amount": amount} for source, amount in row.spent.items()],
            expected_revision=row.revision or None,
        )
    except (ValidationError, PermissionDenied) as error:
        errors.append(_refused(sheet, row.row, error))
        return "refused"
    return "written"
