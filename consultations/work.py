"""Consultations' part of a staff member's work page: proposals awaiting an answer.

Registered as a ``WorkItems`` hook in consultations/apps.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import Proposal
from planportal.extensions import WorkEntry, WorkSection
from planportal.roles import is_staff_member


def unanswered_by_consultation(user) -> list[Any]:
    """Per consultation, how many proposals wait for an answer (not answered,
    not withdrawn), the oldest first: one query however many proposals."""
    if not is_staff_member(user):
        return []
    return list(
        Proposal.objects.filter(response_status="", withdrawn_at__isnull=True)
        .values("consultation_id", "consultation__title")
        .annotate(waiting=Count("id"), since=Min("created_at"))
        .order_by("since", "consultation_id")
    )


def sections(*, user) -> list[WorkSection]:
    if not is_staff_member(user):
        return []
    rows = unanswered_by_consultation(user)
    entries = tuple(
        WorkEntry(
            label=row["consultation__title"],
            url=reverse("consultations:staff-detail", args=[row["consultation_id"]])
            + "?status=unanswered",
            detail=ngettext(
                "%(count)d proposal awaits an answer",
                "%(count)d proposals await an answer",
                row["waiting"],
            )
            % {"count": row["waiting"]},
        )
        for row in rows
    )
    return [
        WorkSection(
            key="proposals",
            title=_("Proposals to answer"),
            count=sum(row["waiting"] for row in rows),
            entries=entries,
            link=reverse("consultations:staff"),
            link_label=_("All consultations"),
            empty=_("No proposal awaits an answer."),
        )
    ]
