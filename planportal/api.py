"""What every API endpoint shares: error shape and permission classes."""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from planportal.roles import can_see_drafts, is_staff_member
from plans.models import FrozenVersionError
from plans.services import ConflictError


def exception_handler(exc, context):
    """Turn the services' Django exceptions into clear 4xx answers.

    A frozen version is a 409 (the request is fine, the state forbids it);
    a stale revision is a 409 with the current revision; a validation error
    is a 400 naming the fields; a race lost to a unique constraint is a 409.
    """
    if isinstance(exc, FrozenVersionError):
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ConflictError):
        return Response(
            {
                "detail": str(exc),
                "current_revision": getattr(exc.current, "revision", None),
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data: dict[str, Any] = exc.message_dict
        else:
            data = {"detail": " ".join(exc.messages)}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, IntegrityError):
        return Response(
            {"detail": _("The request conflicts with the current state of the data.")},
            status=status.HTTP_409_CONFLICT,
        )
    return drf_exception_handler(exc, context)


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
