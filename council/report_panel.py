"""The council's box on a yearly report's page, under its summary.

Registered as a ``ReportPanel`` (council/apps.py). What it shows depends on
who reads: staff open a voting on a report under review (and reach the
voting's page to close it); council members cast or change their ballot
while a voting is open; everyone who may read the report sees the results
of its closed votings, with the roll call (a council decision is public).
The forms post to the council's own views, which check role and state again.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from council import selectors
from council.models import Ballot, Voting
from council.views import BallotForm, OpenVotingForm
from planportal.roles import can_see_drafts, is_council_member, is_staff_member
from reports.models import PUBLIC_STATUSES, ReportStatus


def render(request, report, section: str) -> str:
    if section != "summary":
        return ""
    user = request.user
    votings = selectors.report_votings(report)
    internal = can_see_drafts(user)
    if not internal:
        # The page shows the public approved reports only; the closed votings
        # of those are public, nothing else is.
        if report.status not in PUBLIC_STATUSES:
            return ""
        votings = [v for v in votings if v.status == Voting.Status.CLOSED]
    open_voting = next((v for v in votings if v.is_open), None)
    closed = [v for v in votings if not v.is_open]
    can_open = (
        is_staff_member(user)
        and report.status == ReportStatus.COUNCIL_REVIEW
        and open_voting is None
    )
    if not (votings or can_open or (internal and report.status == ReportStatus.COUNCIL_REVIEW)):
        return ""
    my_ballot = None
    ballot_form = None
    ballots_cast = None
    if open_voting is not None:
        ballots_cast = Ballot.objects.filter(voting=open_voting).count()
        if is_council_member(user):
            my_ballot = Ballot.objects.filter(voting=open_voting, voter=user).first()
            ballot_form = BallotForm(
                auto_id="report-ballot-%s",
                initial={"choice": my_ballot.choice if my_ballot else None},
            )
    return render_to_string(
        "council/report_panel.html",
        {
            "report": report,
            "open_voting": open_voting,
            "closed_votings": closed,
            "can_open": can_open,
            "open_form": OpenVotingForm(auto_id="report-voting-%s") if can_open else None,
            "ballot_form": ballot_form,
            "my_ballot": my_ballot,
            "ballots_cast": ballots_cast,
            "council_size": selectors.council_size() if open_voting is not None else None,
            "is_staff": is_staff_member(user),
        },
        request=request,
    )
