"""What the monitoring screens share: the role guards and the round lookup.

Views parse input and call one service (monitoring.services), which checks
the role and the round again; a refusal answers with its own status
(planportal.errors: 400 to correct, 403, 409 for a stale form or a closed
round) and the form keeps what was typed.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from monitoring.models import MonitoringRound
from monitoring.permissions import is_unit_member
from planportal.roles import is_staff_member, role_required

staff_required = role_required(
    is_staff_member,
    gettext_lazy("Only the strategy coordinator (administration staff) can use this page."),
)


def enters_values(user) -> bool:
    """Staff and unit members enter monitoring data (unit members are not staff)."""
    return is_staff_member(user) or is_unit_member(user)


enterer_required = role_required(
    enters_values,
    gettext_lazy("Only the members of a responsible unit and the coordinator can use this page."),
)


def get_round(round_id) -> MonitoringRound:
    return get_object_or_404(MonitoringRound.objects.select_related("plan"), pk=round_id)
