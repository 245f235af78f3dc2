"""One way to refuse: the error every service raises when it will not do something.

A ``Refusal`` says two things besides its message: ``code``, a stable,
machine-readable name of the kind of refusal (what a client or a test checks,
since the message is for people and its wording may change), and ``status``,
the HTTP status that answers it. Both are declared once, on the class; the
browser views and the API read them from the error (``status_of``,
``code_of``), so the same refusal gets the same answer whichever way it came.
docs/api.md ("Errors") lists the codes.

``Refusal`` is a Django ``ValidationError``, so forms, ``full_clean`` and every
``except ValidationError`` keep working; a plain ``ValidationError`` is the
same as a ``Refusal`` of the kind "invalid" (400).

The status rule:

* 400 ``invalid``: the input is wrong; the user corrects it and tries again.
* 403 ``not_allowed``: this account may not do this, whatever the input.
* 404 ``not_found``: no such object, or one the reader may not see.
* 409: the request is fine but the state of the data forbids it (a version
  that is not a draft, a closed voting, a revision someone else changed).
* 429 ``rate_limited``: too many requests in too short a time.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404


class Refusal(ValidationError):
    """A write the service refuses; the input is wrong unless a subclass says otherwise.

    A single refusal may carry a narrower ``code`` than its class
    (``TransitionError(message, code="voting_closed")``); its status is always
    the class's.
    """

    code = "invalid"
    status = 400

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code or type(self).code, params)
        # ValidationError sets ``code`` only for a single message (and takes
        # the code of a ValidationError it wraps); the refusal's own code must
        # hold for a dict or a list of messages too, and for each message
        # shown on a form.
        self.code = code or type(self).code
        shown = list(getattr(self, "error_list", []))
        for errors in getattr(self, "error_dict", {}).values():
            shown.extend(errors)
        for message in shown:
            if message.code is None:
                message.code = self.code

    def __str__(self):
        # The message as people read it ("Version 2 is approved …"), not
        # ValidationError's repr of a list, so that ``str(error)`` can be shown.
        if hasattr(self, "error_dict"):
            return super().__str__()
        return " ".join(self.messages)

    def details(self) -> dict:
        """Extra facts for the API body (for instance the current revision)."""
        return {}


class NotAllowed(Refusal, PermissionDenied):
    """This account may not do this (also a ``PermissionDenied``, for Django's 403)."""

    code = "not_allowed"
    status = 403


class Conflict(Refusal):
    """The state of the data forbids the request, however well-formed it is."""

    code = "conflict"
    status = 409


class RateLimited(Refusal):
    """Too many requests of this kind in too short a time."""

    code = "rate_limited"
    status = 429


def status_of(error) -> int:
    """The HTTP status that answers ``error``, in the browser and the API alike."""
    if isinstance(error, Refusal):
        return error.status
    if isinstance(error, PermissionDenied):
        return 403
    if isinstance(error, (Http404, ObjectDoesNotExist)):
        return 404
    if isinstance(error, IntegrityError):
        # A race lost to a unique constraint: the data changed under the request.
        return 409
    return 400


def code_of(error) -> str:
    """The machine-readable code of ``error`` (docs/api.md, "Errors")."""
    if isinstance(error, Refusal):
        return error.code
    return {403: "not_allowed", 404: "not_found", 409: "conflict"}.get(status_of(error), "invalid")


def messages_of(error) -> list[str]:
    """What ``error`` says to people, as a list of messages."""
    if isinstance(error, ValidationError):
        return error.messages
    text = str(error)
    return [text] if text else []
