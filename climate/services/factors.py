"""Emission factors: an inventory's own factors, the library's factor per
carrier and approach, and the national electricity factor per year."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from planportal.years import YEAR_BOUNDS, is_valid_year

from ..constants import CARRIER_SLUGS
from ..models import (
    Approach,
    EmissionFactor,
    FactorOverride,
    Inventory,
    NationalElectricityFactor,
)
from ._common import MAX_FACTOR, _changed, parse_quantity, require_staff

if TYPE_CHECKING:
    from planportal.roles import AnyUser


def clean_factors(data: object) -> dict[str, Decimal]:
    if not isinstance(data, dict):
        raise ValidationError(_("Send an object {carrier: t CO2 per MWh}."))
    factors, errors = {}, []
    for carrier, raw in data.items():
        if carrier not in CARRIER_SLUGS:
            errors.append(_("„%(carrier)s“: unknown energy carrier.") % {"carrier": carrier})
            continue
        try:
            factors[carrier] = parse_quantity(raw, places=6, maximum=MAX_FACTOR)
        except ValueError as error:
            errors.append(
                _("„%(carrier)s“: the factor %(error)s.") % {"carrier": carrier, "error": error}
            )
    if errors:
        raise ValidationError(errors)
    return factors


@transaction.atomic
def factors_replace(*, user: AnyUser, inventory: Inventory, factors: dict[str, Decimal]) -> None:
    """Replace the inventory's own factors (the rest come from the library).

    Preconditions: staff; ``factors`` cleaned by ``clean_factors``.
    """
    require_staff(user)
    inventory = Inventory.objects.select_for_update().get(pk=inventory.pk)
    FactorOverride.objects.filter(inventory=inventory).delete()
    FactorOverride.objects.bulk_create(
        FactorOverride(inventory=inventory, carrier=c, value=v) for c, v in factors.items()
    )
    _changed()


@transaction.atomic
def library_factor_set(
    *, user: AnyUser, carrier: str, approach: str, value: Decimal, source: str = ""
) -> EmissionFactor:
    require_staff(user)
    if carrier not in CARRIER_SLUGS or approach not in Approach.values:
        raise ValidationError(_("Unknown carrier or approach."))
    factor, _created = EmissionFactor.objects.update_or_create(
        carrier=carrier, approach=approach, defaults={"value": value, "source": source}
    )
    _changed()
    return factor


@transaction.atomic
def national_factor_set(
    *, user: AnyUser, year: int, approach: str, value: Decimal, source: str = ""
) -> NationalElectricityFactor:
    require_staff(user)
    if approach not in Approach.values or not is_valid_year(year):
        raise ValidationError(
            _("The year must be between %(min)s and %(max)s and the approach „ipcc“ or „lca“.")
            % YEAR_BOUNDS
        )
    factor, _created = NationalElectricityFactor.objects.update_or_create(
        year=year, approach=approach, defaults={"value": value, "source": source}
    )
    _changed()
    return factor


@transaction.atomic
def national_factor_delete(*, user: AnyUser, factor: NationalElectricityFactor) -> None:
    require_staff(user)
    factor.delete()
    _changed()
