"""The plan editor's part of a staff member's work page: the drafts to edit.

Registered as a ``WorkItems`` hook in plans/apps.py; accounts' work page
asks the registry, so neither app imports the other's views.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from planportal.extensions import WorkEntry, WorkSection
from planportal.roles import is_staff_member
from plans.models import EDITABLE_STATUSES, PlanVersion


def drafts_to_edit(user) -> list[PlanVersion]:
    """The versions ``user`` may edit (staff: every draft), newest change
    first, with their plans: one query however many drafts there are."""
    if not is_staff_member(user):
        return []
    return list(
        PlanVersion.objects.filter(status__in=EDITABLE_STATUSES)
        .select_related("plan")
        .order_by("-updated_at", "-id")
    )


def sections(*, user) -> list[WorkSection]:
    if not is_staff_member(user):
        return []
    drafts = drafts_to_edit(user)
    entries = tuple(
        WorkEntry(
            label=f"{version.plan.title} – {version.get_label()}",
            url=reverse("plans:staff-outline", args=[version.pk]),
            detail=_("changed %(when)s") % {"when": _local_date(version.updated_at)},
        )
        for version in drafts
    )
    return [
        WorkSection(
            key="drafts",
            title=_("Drafts to edit"),
            count=len(drafts),
            entries=entries,
            link=reverse("plans:staff-dashboard"),
            link_label=_("All plans in the editor"),
            empty=_("No draft is being prepared."),
        )
    ]


def _local_date(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")
