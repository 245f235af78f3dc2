"""Monitoring's part of the work page: the open rounds' items still to enter.

Registered as a ``WorkItems`` hook in monitoring/apps.py. A unit member sees
their units' items without a value yet, the coordinator (staff) every
round's missing items; each open round in a fixed number of queries however
many items it has (``selectors.my_items``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from monitoring import permissions, selectors
from planportal.extensions import WorkEntry, WorkSection
from planportal.roles import is_staff_member


def sections(*, user) -> list[WorkSection]:
    staff = is_staff_member(user)
    if not staff and not permissions.is_unit_member(user):
        return []
    entries = []
    total = 0
    for round in selectors.open_rounds_for(user):
        missing = sum(1 for item in selectors.my_items(user, round) if item.missing)
        total += missing
        url = (
            reverse("monitoring:round", args=[round.pk])
            if staff
            else reverse("monitoring:my-items") + f"?round={round.pk}"
        )
        detail = ngettext(
            "%(count)d item to enter, due %(due)s",
            "%(count)d items to enter, due %(due)s",
            missing,
        ) % {"count": missing, "due": formats.date_format(round.due, "SHORT_DATE_FORMAT")}
        label = _("%(plan)s: values for %(year)s") % {"plan": round.plan.title, "year": round.year}
        entries.append(WorkEntry(label=label, url=url, detail=detail))
    return [
        WorkSection(
            key="monitoring",
            title=_("Monitoring items due"),
            count=total,
            entries=tuple(entries),
            link=reverse("monitoring:my-items"),
            link_label=_("My items"),
            empty=_("No monitoring round is open."),
        )
    ]
