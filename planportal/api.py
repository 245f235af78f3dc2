"""What every API endpoint shares: error shape, unknown fields, routes and
permission classes (the JSON parser is in planportal/parsers.py, the
pagination in planportal/pagination.py: DRF's settings import them while its
own modules load, before this one can)."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions, renderers, routers, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from planportal.errors import Refusal, code_of, status_of
from planportal.roles import can_see_drafts, is_staff_member

# DRF's own codes for the kinds of refusal the portal names otherwise
# (docs/api.md, "Errors"); any other DRF code (``method_not_allowed``,
# ``unsupported_media_type`` …) is passed on as it is.
DRF_CODES = {
    "invalid": "invalid",
    "parse_error": "invalid",
    "not_authenticated": "not_authenticated",
    "authentication_failed": "not_authenticated",
    "permission_denied": "not_allowed",
    "not_found": "not_found",
    "throttled": "rate_limited",
}


def exception_handler(exc, context):
    """Answer every refusal of every endpoint with one body shape and its code.

    The status and the code come from the error (planportal/errors.py): a
    ``Refusal`` declares them, a plain Django ``ValidationError`` is a 400
    ``invalid``, ``PermissionDenied`` a 403, ``Http404`` a 404 and a race lost
    to a unique constraint (``IntegrityError``) a 409. The body is
    ``{"detail": "…", "code": "…"}``, or the fields with their messages plus
    ``code`` when the refusal names fields, plus what the refusal adds (the
    current revision of a stale edit).
    """
    _answer_errors_in_json(context)
    if isinstance(exc, SuspiciousOperation):
        response = _suspicious_answer(exc)
    elif isinstance(exc, DjangoValidationError):
        response = Response(refusal_body(exc), status=status_of(exc))
    elif isinstance(exc, IntegrityError):
        response = Response(
            {
                "detail": _("The request conflicts with the current state of the data."),
                "code": code_of(exc),
            },
            status=status_of(exc),
        )
    else:
        response = drf_exception_handler(exc, context)
        if response is None:
            return None
        response.data = _with_code(response.data, _drf_code(exc))
    set_rollback()
    return response


def _suspicious_answer(exc: SuspiciousOperation) -> Response:
    # Django raises these while reading the request (a body over
    # DATA_UPLOAD_MAX_MEMORY_SIZE, too many form fields); without this the API
    # would answer with the browser's HTML 400 page.
    body, status = suspicious_body(exc)
    return Response(body, status=status)


def suspicious_body(exc: Exception) -> tuple[dict, int]:
    """The JSON body and status of a request Django refused to read."""
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return (
            {
                "detail": _("The request body is too large (at most %(size)d KB).")
                % {"size": limit // 1024},
                "code": "too_large",
            },
            413,
        )
    return {"detail": _("The request could not be understood."), "code": "invalid"}, 400


def refusal_body(error: DjangoValidationError) -> dict:
    """The API body of a Django ``ValidationError`` (a ``Refusal`` or a plain one)."""
    body: dict[str, Any]
    if hasattr(error, "error_dict"):
        body = dict(error.message_dict)
    else:
        body = {"detail": " ".join(error.messages)}
    # A refusal that names a field called "code" (a node's code is read-only)
    # keeps that field's messages: the status still says it is invalid input.
    body.setdefault("code", code_of(error))
    if isinstance(error, Refusal):
        body.update(error.details())
    return body


def _drf_code(exc) -> str:
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if not isinstance(exc, exceptions.APIException):
        # Django's Http404 and PermissionDenied, which DRF answered.
        return code_of(exc)
    code = getattr(exc.detail, "code", None) or exc.default_code
    return DRF_CODES.get(code, code)


def _with_code(data, code: str):
    if isinstance(data, dict):
        data.setdefault("code", code)
        return data
    if isinstance(data, list) and all(isinstance(item, str) for item in data):
        # ``ValidationError("…")`` without a field: the same shape as any other.
        return {"detail": " ".join(data), "code": code}
    # One entry per item of a list the client sent: the list says which item.
    return data


def _answer_errors_in_json(context) -> None:
    # An endpoint that serves a file (the version's PDF) may have accepted a
    # binary renderer, which cannot say "404": errors are JSON whatever the
    # client asked for.
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and getattr(renderer, "render_style", "text") == "binary":
        request.accepted_renderer = renderers.JSONRenderer()
        request.accepted_media_type = renderers.JSONRenderer.media_type


# --- Input -------------------------------------------------------------------------


# What RejectUnknownFieldsMixin is mixed into, as mypy sees it (at run time it
# is a plain mixin).
if TYPE_CHECKING:
    _SerializerBase = serializers.Serializer
else:
    _SerializerBase = object


class RejectUnknownFieldsMixin(_SerializerBase):
    """Refuse fields the endpoint cannot write instead of dropping them.

    DRF ignores unknown and read-only keys; a client that sends ``status`` or
    a misspelt ``titel`` would then believe it changed something it did not
    (docs/api.md, "Errors"). Every serializer that reads a request body mixes
    this in, nested ones too (each item of a list is checked).
    """

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = set(self.fields)
            writable = {name for name, field in self.fields.items() if not field.read_only}
            errors = {
                name: [
                    _("This field cannot be written here.")
                    if name in known
                    else _("Unknown field.")
                ]
                for name in sorted(set(data) - writable)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


# --- Routes and pages ---------------------------------------------------------------


class IdRoutesMixin:
    """Object ids in API paths are integers (Django's ``int`` converter):
    ``/inventories/abc/`` is a 404, not a lookup that fails with ``ValueError``
    in whatever view did not expect it, and the schema says ``integer``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("use_regex_path", False)
        super().__init__(*args, **kwargs)

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        # DRF's own for path() routes, with ``int`` instead of ``str`` unless the
        # viewset names its own ``lookup_value_converter``.
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        converter = getattr(viewset, "lookup_value_converter", "int")
        return f"<{converter}:{lookup_prefix}{lookup_url_kwarg}>"


class Router(IdRoutesMixin, routers.SimpleRouter):
    pass


class RootRouter(IdRoutesMixin, routers.DefaultRouter):
    pass


# --- Permissions --------------------------------------------------------------------


class IsStaffMember(permissions.BasePermission):
    message = gettext_lazy("Only administration staff may do this.")

    def has_permission(self, request, view):
        return is_staff_member(request.user)


class ReadOnlyOrStaff(permissions.BasePermission):
    """Anyone reads (what selectors let them see); only staff write."""

    message = gettext_lazy("Only administration staff may change plans.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return is_staff_member(request.user)


class CanSeeDrafts(permissions.BasePermission):
    def has_permission(self, request, view):
        return can_see_drafts(request.user)
