"""The council's box at the head of a version's outline and page (a ``VersionWorkBox``).

Says where the version stands on its way to the council and offers the next
step only when the service would accept it: "Submit to the council" for a
draft that may go (the reason instead when it may not, e.g. an open
consultation), "Take back for revision" for a version under review without
an open voting, the open voting otherwise. Both buttons lead to pages that
ask first (council/views.py); nothing here writes. Staff see the steps,
council members the state and the voting; other readers nothing, so the
box never reaches a cached public page. At most three queries, whatever the
size of the plan.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from council import services
from council.models import Voting
from planportal.roles import can_see_drafts, is_staff_member
from plans.models import VersionStatus

SHOWN_STATUSES = frozenset(
    {VersionStatus.DRAFT, VersionStatus.CONSULTATION, VersionStatus.COUNCIL_REVIEW}
)


def render(request, version) -> str:
    user = request.user
    if not can_see_drafts(user) or version.status not in SHOWN_STATUSES:
        return ""
    staff = is_staff_member(user)
    context = {"version": version, "is_staff": staff, "refusal": None, "open_voting": None}
    if version.status == VersionStatus.COUNCIL_REVIEW:
        context["open_voting"] = (
            Voting.objects.filter(version=version, status=Voting.Status.OPEN).only("id").first()
        )
    elif staff:
        refusal = services.submit_refusal(version)
        context["refusal"] = " ".join(refusal.messages) if refusal is not None else None
    return render_to_string("council/work_box.html", context, request=request)
