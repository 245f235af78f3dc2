"""What the report views share: the role guard and the report a staff page is about."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from planportal.roles import is_staff_member, role_required

from .. import selectors
from ..models import Report

staff_required = role_required(
    is_staff_member, gettext_lazy("Only administration staff can do this.")
)


def staff_report(request, report_id: int) -> Report:
    """The report for a staff page (404 when there is none)."""
    return selectors.report_for_user(request.user, report_id)
