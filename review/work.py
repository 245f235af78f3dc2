"""Review's part of the work page: the open threads staff and council take part in.

Registered as a ``WorkItems`` hook in review/apps.py.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from planportal.extensions import WorkEntry, WorkSection
from review import services
from review.models import ReviewThread


def open_threads(user) -> list[Any]:
    """The open threads ``user`` reads (staff and council), counted per
    version under review or draft and per yearly report: one query however
    many threads there are."""
    if not services.can_read_threads(user):
        return []
    return list(
        ReviewThread.objects.filter(resolved=False)
        .filter(
            Q(report__isnull=True, version__status__in=services.THREAD_STATUSES)
            | Q(report__isnull=False)
        )
        .values(
            "version_id",
            "version__number",
            "version__label",
            "version__plan__title",
            "report_id",
            "report__year",
        )
        .annotate(threads=Count("id"))
        .order_by("version__plan__title", "version__number", "report__year")
    )


def sections(*, user) -> list[WorkSection]:
    if not services.can_read_threads(user):
        return []
    entries = []
    total = 0
    for row in open_threads(user):
        total += row["threads"]
        detail = ngettext("%(count)d open thread", "%(count)d open threads", row["threads"]) % {
            "count": row["threads"]
        }
        if row["report_id"] is not None:
            label = _("%(plan)s – %(year)d implementation report") % {
                "plan": row["version__plan__title"],
                "year": row["report__year"],
            }
            url = reverse("reports:report", args=[row["report_id"]])
        else:
            version = row["version__label"] or _("version %(number)s") % {
                "number": row["version__number"]
            }
            label = f"{row['version__plan__title']} – {version}"
            url = reverse("review:threads", args=[row["version_id"]])
        entries.append(WorkEntry(label=label, url=url, detail=detail))
    return [
        WorkSection(
            key="review",
            title=_("Open review threads"),
            count=total,
            entries=tuple(entries),
            empty=_("No review thread is open."),
        )
    ]
