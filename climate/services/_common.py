"""What every climate write shares: the staff guard, the cache bump on
commit, and reading a number from user input (``parse_quantity``, public:
the browser's Table A form reads its cells with it too)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal import pagecache, roles

MAX_MWH = Decimal("9999999999999.999")
MAX_FACTOR = Decimal("10")
MAX_ERRORS = 20
# Thousands separators people type or paste: a space, a no-break space, a
# thin space and a narrow no-break space ("98 450", Django's "1\u00a0234,5").
THOUSANDS_SEPARATORS = str.maketrans("", "", " \u00a0\u2009\u202f")


# The one staff guard (planportal.roles), worded for climate data.
require_staff = partial(
    roles.require_staff, message=gettext_lazy("Only administration staff can change climate data.")
)


def _changed() -> None:
    # Also where bulk_create() wrote rows, which sends no signal.
    pagecache.bump_on_commit("climate")


# --- Numbers -------------------------------------------------------------------------


def parse_quantity(
    raw: object, *, places: int = 3, maximum: Decimal = MAX_MWH, decimal_comma: bool = False
) -> Decimal:
    """A non-negative decimal from user input (text, int or JSON number).

    Raises ValueError with a message for the user. Floats from JSON are read
    through their shortest text form (0.1 → Decimal("0.1")), never as binary.
    """
    if isinstance(raw, bool) or raw is None:
        raise ValueError(_("a number is required"))
    if isinstance(raw, (int, Decimal)):
        text = str(raw)
    elif isinstance(raw, float):
        text = repr(raw)
    elif isinstance(raw, str):
        text = raw.strip().translate(THOUSANDS_SEPARATORS)
        if decimal_comma:
            text = text.replace(",", ".")
        if text == "":
            return Decimal("0")
    else:
        raise ValueError(_("a number is required"))
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("„%(value)s“ is not a number") % {"value": str(raw)[:40]}) from None
    if not value.is_finite():
        raise ValueError(_("„%(value)s“ is not a number") % {"value": str(raw)[:40]})
    if value < 0:
        raise ValueError(_("must not be negative"))
    if value > maximum:
        raise ValueError(_("is too large (at most %(max)s)") % {"max": maximum})
    if value != value.quantize(Decimal(1).scaleb(-places), rounding="ROUND_DOWN"):
        raise ValueError(_("at most %(places)d decimal places") % {"places": places})
    return value
