"""What every browser form shares: showing a service's refusal on the form.

The answer's status comes from the error too (``planportal.errors.status_of``),
so a page answers a refusal with the same status as the API.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from planportal.errors import messages_of

# The empty option of every select ("— pasirinkite —"), instead of Django's
# row of nine dashes, which a screen reader reads as "dash dash dash …" and which
# says nothing in any language. ``empty_label=EMPTY_LABEL`` on a
# ModelChoiceField, ``[EMPTY_CHOICE, *choices]`` on a ChoiceField; django-
# filter's forms take it from settings.FILTERS_EMPTY_CHOICE_LABEL.
EMPTY_LABEL = gettext_lazy("— choose —")
EMPTY_CHOICE = ("", EMPTY_LABEL)


def add_refusal_to_form(form, error, *, field_map=None, fallback_field=None) -> None:
    """Put the messages of ``error`` (a service's refusal) on ``form``.

    A message about a field goes on that field of the form; ``field_map``
    renames a service's field to the form's (``{"version": None}``: on the form
    as a whole), and a message about a field the form does not have goes to
    ``fallback_field``, or on the form as a whole. Messages keep their codes,
    so ``form.has_error(None, "frozen_version")`` tells which refusal it was.
    """
    if not isinstance(error, ValidationError):
        form.add_error(None, messages_of(error))
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.error_list)
        return
    field_map = field_map or {}
    for name, errors in error.error_dict.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = fallback_field
        if target not in form.fields:
            target = None
        form.add_error(target, errors)
