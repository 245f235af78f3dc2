"""The council's part of the work page: open votings, and the ballots still to cast.

Registered as a ``WorkItems`` hook in council/apps.py. A council member sees
the open votings they have not voted in yet (and those they have, to change
their ballot while the voting is open); staff see every open voting, which
they close.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _

from council.models import Ballot, Voting
from council.selectors import votings_visible_to
from planportal.extensions import WorkEntry, WorkSection
from planportal.roles import is_council_member, is_staff_member


def open_votings(user) -> list[Voting]:
    """The open votings ``user`` reads, each with ``has_voted`` (their own
    ballot exists): one query however many votings and ballots there are."""
    votings = (
        votings_visible_to(user)
        .filter(status=Voting.Status.OPEN)
        .prefetch_related(None)
        .annotate(has_voted=Exists(Ballot.objects.filter(voting=OuterRef("pk"), voter=user)))
        .order_by("opened_at", "id")
    )
    return list(votings)


def sections(*, user) -> list[WorkSection]:
    member = is_council_member(user)
    if not (member or is_staff_member(user)):
        return []
    votings = open_votings(user)
    entries = []
    # ``has_voted`` is the annotation of ``open_votings``, not a field of Voting.
    voted = {voting.pk: bool(getattr(voting, "has_voted", False)) for voting in votings}
    for voting in votings:
        subject = voting.subject
        label = (
            f"{subject.plan.title} – {subject}"
            if voting.report_id
            else (f"{subject.plan.title} – {subject.get_label()}")
        )
        if member:
            detail = _("you have voted") if voted[voting.pk] else _("your ballot is awaited")
        else:
            detail = _("open since %(date)s") % {"date": voting.opened_at.date().isoformat()}
        entries.append(
            WorkEntry(label=label, url=reverse("council:voting", args=[voting.pk]), detail=detail)
        )
    if member:
        title = _("Votings to cast")
        count = sum(1 for voting in votings if not voted[voting.pk])
    else:
        title = _("Open votings")
        count = len(votings)
    return [
        WorkSection(
            key="votings",
            title=title,
            count=count,
            entries=tuple(entries),
            link=reverse("council:dashboard"),
            link_label=_("The council page"),
            empty=_("No voting is open."),
        )
    ]
