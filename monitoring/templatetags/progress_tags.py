"""Words and numbers of the progress pages: a status in words, a share in per cent."""

from django import template

from monitoring.models import ImplementationStatus
from monitoring.progress import ProgressStatus

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """A progress status (``on_track`` …) in the reader's language."""
    try:
        return str(ProgressStatus(value).label)
    except ValueError:
        return str(value)


@register.filter
def implementation_label(value: str) -> str:
    try:
        return str(ImplementationStatus(value).label)
    except ValueError:
        return str(value)


@register.filter
def percent(value: float | None) -> int | None:
    """A progress (0…1) as a whole per cent, for the bar's width and its text."""
    return None if value is None else round(value * 100)
