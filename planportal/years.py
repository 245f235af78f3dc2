"""The calendar years PlanPortal accepts, for every app.

A plan's period, a measure's years, indicator targets, funding lines and the
climate inventories all share one range, so that a year one path accepts (a
browser form, the API, a service, the model's validators) is never refused
by another. Messages that name the bounds format them from here.
"""

from django.core.validators import MaxValueValidator, MinValueValidator

YEAR_MIN = 1990
YEAR_MAX = 2100
# For messages: ``_("… between %(min)s and %(max)s.") % YEAR_BOUNDS``.
YEAR_BOUNDS = {"min": YEAR_MIN, "max": YEAR_MAX}
YEAR_VALIDATORS = [MinValueValidator(YEAR_MIN), MaxValueValidator(YEAR_MAX)]


def is_valid_year(year) -> bool:
    """True for a whole number (not a bool) within the bounds."""
    return isinstance(year, int) and not isinstance(year, bool) and YEAR_MIN <= year <= YEAR_MAX
