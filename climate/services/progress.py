"""What the SEAP measures actually achieved, year by year (issue 13, item 8)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import SEAP_STATUSES_NEEDING_REASON, SeapMeasure, SeapProgress, SeapStatus
from ._common import _changed, parse_quantity, require_staff

if TYPE_CHECKING:
    from planportal.roles import AnyUser

QUANTITIES = ("energy_saving_mwh", "renewable_mwh", "co2_reduction_t")


@transaction.atomic
def seap_progress_set(
    *,
    user: AnyUser,
    measure: SeapMeasure,
    year: int,
    status: str,
    energy_saving_mwh: object = 0,
    renewable_mwh: object = 0,
    co2_reduction_t: object = 0,
    note: str = "",
) -> tuple[SeapProgress, bool]:
    """Enter (or replace) what ``measure`` achieved in ``year``; (row, created).

    Preconditions: staff; ``year`` from the measure's start year to the
    current year (an effect lasts after the measure ends, but none is
    achieved before it starts or in the future); ``status`` a ``SeapStatus``,
    with a ``note`` saying why when delayed or cancelled; the quantities are
    non-negative numbers (MWh and t in that year). Nothing is written on a
    refusal (ValidationError, every field's message at once).
    """
    require_staff(user)
    measure = SeapMeasure.objects.select_for_update().get(pk=measure.pk)
    errors: dict[str, str] = {}
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not measure.start_year <= year <= this_year:
        errors["year"] = _("The year must be from %(start)s to %(end)s.") % {
            "start": measure.start_year,
            "end": this_year,
        }
    if status not in SeapStatus.values:
        errors["status"] = _("Choose one of the statuses.")
    note = (note or "").strip()
    if status in SEAP_STATUSES_NEEDING_REASON and not note:
        errors["note"] = _("Say why the measure is delayed or cancelled.")
    values: dict[str, Decimal] = {}
    raw = {
        "energy_saving_mwh": energy_saving_mwh,
        "renewable_mwh": renewable_mwh,
        "co2_reduction_t": co2_reduction_t,
    }
    for name in QUANTITIES:
        try:
            values[name] = parse_quantity(raw[name], decimal_comma=True)
        except ValueError as error:
            errors[name] = str(error)
    if errors:
        raise ValidationError(errors)
    row, created = SeapProgress.objects.update_or_create(
        seap_measure=measure,
        year=year,
        # require_staff let only a signed-in staff member through.
        defaults={"status": status, "note": note, "entered_by": user, **values},  # type: ignore[misc]
    )
    _changed()
    return row, created


@transaction.atomic
def seap_progress_delete(*, user: AnyUser, progress: SeapProgress) -> None:
    """Remove a year's entry (staff), for a year entered by mistake."""
    require_staff(user)
    progress.delete()
    _changed()
