"""The consultations section of a plan's yearly implementation report (``ReportSection``).

Registered by consultations/apps.py; reports/snapshot.py calls ``build`` and
freezes its result into the report's snapshot on submission, so it returns
plain data: the public consultations on any version of the plan that were
held (open for at least part of the time) in the report's year, with what
the public table of answers counts. Nothing personal: no author, no text.

Schema::

    {"year": 2018,
     "consultations": [{"id", "title", "version", "starts", "ends",   # ISO dates
                        "state",                    # ConsultationState when built
                        "proposals",                # received, not withdrawn
                        "answered",                 # answers published
                        "accepted", "partly_accepted", "not_accepted",
                        "other_answers",            # already in the plan, out of scope
                        "awaiting", "hidden",
                        "outcome_path"}],           # the published table of answers
     "totals": {"proposals", "answered", "accepted", "partly_accepted",
                "not_accepted", "other_answers", "awaiting", "hidden"}}

Counted as on the public table (``selectors.outcome``): withdrawn proposals
are left out, hidden ones counted apart, a prepared answer not published
yet still "awaiting". One query.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from .models import Consultation, ResponseStatus

if TYPE_CHECKING:
    from plans.models import Plan, PlanVersion

COUNTS = (
    "proposals",
    "answered",
    "accepted",
    "partly_accepted",
    "not_accepted",
    "other_answers",
    "awaiting",
    "hidden",
)


def _count(condition: Q) -> Count:
    return Count("proposals", filter=Q(proposals__withdrawn_at__isnull=True) & condition)


def _year_start(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 1, 1))


def build(*, plan: Plan, year: int, version: PlanVersion | None = None) -> dict | None:
    """The consultations section of ``plan``'s report of ``year``, or None when
    no consultation on the plan was open during that year (see the module)."""
    shown = Q(proposals__hidden=False)
    published = shown & Q(proposals__response_published_at__isnull=False)
    consultations = (
        Consultation.objects.filter(
            version__plan=plan, starts_at__lt=_year_start(year + 1), ends_at__gt=_year_start(year)
        )
        .select_related("version")
        .annotate(
            n_proposals=_count(Q()),
            n_answered=_count(published),
            n_accepted=_count(published & Q(proposals__response_status=ResponseStatus.ACCEPTED)),
            n_partly_accepted=_count(
                published & Q(proposals__response_status=ResponseStatus.PARTLY_ACCEPTED)
            ),
            n_not_accepted=_count(
                published & Q(proposals__response_status=ResponseStatus.NOT_ACCEPTED)
            ),
            n_awaiting=_count(shown & Q(proposals__response_published_at__isnull=True)),
            n_hidden=_count(Q(proposals__hidden=True)),
        )
        .order_by("starts_at", "pk")
    )
    now = timezone.now()
    rows = []
    for consultation in consultations:
        counts: dict[str, int] = {name: getattr(consultation, f"n_{name}", 0) for name in COUNTS}
        # Already in the plan, outside its scope: the answers of neither kind above.
        counts["other_answers"] = (
            counts["answered"]
            - counts["accepted"]
            - counts["partly_accepted"]
            - counts["not_accepted"]
        )
        row = {
            "id": consultation.pk,
            "title": consultation.title,
            "version": consultation.version.number,
            "starts": timezone.localdate(consultation.starts_at).isoformat(),
            "ends": timezone.localdate(consultation.ends_at).isoformat(),
            "state": consultation.state_at(now),
            "outcome_path": reverse("consultations:outcome", args=[consultation.pk]),
            **counts,
        }
        rows.append(row)
    if not rows:
        return None
    return {
        "year": year,
        "consultations": rows,
        "totals": {name: sum(row[name] for row in rows) for name in COUNTS},
    }
