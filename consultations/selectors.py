"""Reads of consultations and proposals, scoped to who may see what.

Public lists never carry an e-mail address nor an author's name unless the
author chose to show it (``Proposal.author_display``). Each function does its
joins up front, so that a page or an export runs the same number of queries
however many proposals there are.
"""

from __future__ import annotations

import uuid
from collections import Counter, OrderedDict
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from planportal.extensions import export_datetime
from planportal.roles import is_staff_member
from plans.models import VersionStatus
from plans.procedure import for_kind
from plans.search import best_hits, level_hits, parse_query

from .models import (
    HIDDEN,
    PENDING,
    STATUS_LABELS,
    WITHDRAWN,
    AnswerLetterOptOut,
    Consultation,
    ConsultationState,
    Eldership,
    Proposal,
    Report,
    ResponseStatus,
    Support,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.db.models import QuerySet

    from planportal.roles import AnyUser
    from plans.models import PlanVersion


def consultations_list() -> QuerySet[Consultation]:
    return Consultation.objects.select_related("version__plan").order_by("-starts_at", "-id")


def consultations_open() -> list[Consultation]:
    """The consultations taking proposals now, closing soonest first (one query)."""
    now = timezone.now()
    return list(
        Consultation.objects.filter(
            starts_at__lte=now, ends_at__gt=now, version__status=VersionStatus.CONSULTATION
        )
        .select_related("version__plan")
        .order_by("ends_at", "id")
    )


def consultation_get(consultation_id: int | str) -> Consultation:
    try:
        return Consultation.objects.select_related("version__plan").get(pk=consultation_id)
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def open_consultation_of(version: PlanVersion) -> Consultation | None:
    """The consultation of ``version`` if it still takes proposals (or has not started)."""
    consultation = Consultation.objects.filter(version=version).first()
    if consultation is None or consultation.state == ConsultationState.CLOSED:
        return None
    return consultation


def submit_refusal(version: PlanVersion) -> str | None:
    """Why ``version`` may not go to the council yet: its consultation is still open.

    Residents must have had the whole announced period (council/services.py
    asks this through the submit guards registered in consultations/apps.py).
    """
    if version.status == VersionStatus.CONSULTATION and open_consultation_of(version) is not None:
        return _(
            "The public consultation on this version is still open: "
            "it can go to the council after it ends."
        )
    return None


def consultation_required_refusal(version: PlanVersion) -> str | None:
    """Why ``version`` may not go to the council yet: its kind of plan needs a
    public consultation first (``PLANPORTAL_PROCEDURE["consultation_before_council"]``,
    plans/procedure.py) and none has been held on this version.

    "Held" means closed: a consultation still open is ``submit_refusal``'s case.
    """
    if not for_kind("consultation_before_council", version.plan.kind):
        return None
    if Consultation.objects.filter(version=version).exists():
        # Closed, or not yet over (then ``submit_refusal`` says to wait for its end).
        return None
    return _(
        "Under the council's procedure, a version of this kind of plan goes to the council "
        "only after a public consultation on it: open a consultation first."
    )


def _with_counts(queryset: QuerySet[Proposal], user: AnyUser | None = None) -> QuerySet[Proposal]:
    queryset = queryset.select_related("author", "eldership", "linked_version").annotate(
        support_count=Count("supports", distinct=True)
    )
    if user is not None and user.is_authenticated:
        # The card says "you reported it" rather than offering to report again.
        queryset = queryset.annotate(
            supported_by_me=Exists(Support.objects.filter(proposal=OuterRef("pk"), user=user)),
            reported_by_me=Exists(Report.objects.filter(proposal=OuterRef("pk"), user=user)),
        )
    return queryset


# How the public list of proposals may be ordered (``?sort=``); the page offers
# them in this order, the first its default.
PROPOSAL_ORDERS = {
    "newest": ("-created_at", "-id"),
    "supported": ("-support_count", "-created_at", "-id"),
    "oldest": ("created_at", "id"),
}


def _matching_text(queryset: QuerySet[Proposal], q: str) -> QuerySet[Proposal]:
    """The proposals whose text (or the code or title of the part they are
    about) holds every word of ``q``, by Lithuanian word forms as the plan's
    search finds them (plans/search.py): "darželis" finds "darželių".

    A hidden proposal's text is not public, so a search never finds it. Two
    queries however many proposals there are: the texts, then the list.
    """
    terms = parse_query(q)
    if not terms:
        return queryset.none()
    # The plan's search reads a node's code, title and description: here the
    # code is the part's, the "title" the proposal's own text (matches there
    # count first) and the "description" the part's title.
    texts = queryset.filter(hidden=False).annotate(
        code=F("target_code"), title=F("text"), description=F("target_title")
    )
    hits = best_hits(level_hits("proposal", texts, terms), terms, partial=False)
    return queryset.filter(pk__in=[hit.node_id for hit in hits])


def public_proposals(
    consultation: Consultation,
    *,
    target: uuid.UUID | str | None = None,
    status: str = "",
    q: str = "",
    order: str = "oldest",
    user: AnyUser | None = None,
) -> QuerySet[Proposal]:
    """The proposals the public sees: all but withdrawn ones.

    Hidden proposals stay in the list (the record stays) but their text is
    replaced by the moderator's public reason where they are shown.
    ``target`` is a node key, or ``"plan"`` for proposals on the whole plan.
    ``status`` is a public status (``pending``, ``hidden`` or an answer).
    ``q`` keeps the proposals whose text has its words; ``order`` is a key
    of ``PROPOSAL_ORDERS`` (oldest first unless told).
    """
    queryset = Proposal.objects.filter(consultation=consultation, withdrawn_at__isnull=True)
    if target and target != "plan":
        try:
            target = uuid.UUID(str(target))
        except ValueError:
            raise ValidationError(
                {"target": _("This is not the key of a part of the plan.")}
            ) from None
    if target == "plan":
        queryset = queryset.filter(target_key__isnull=True)
    elif target:
        queryset = queryset.filter(target_key=target)
    if status == HIDDEN:
        queryset = queryset.filter(hidden=True)
    elif status == PENDING:
        queryset = queryset.filter(hidden=False, response_published_at__isnull=True)
    elif status in ResponseStatus.values:
        queryset = queryset.filter(
            hidden=False, response_published_at__isnull=False, response_status=status
        )
    if q.strip():
        queryset = _matching_text(queryset, q)
    ordering = PROPOSAL_ORDERS.get(order, PROPOSAL_ORDERS["oldest"])
    return _with_counts(queryset, user).order_by(*ordering)


def node_counts(consultation: Consultation, *, listed: bool = False) -> dict:
    """Number of public (not withdrawn, not hidden) proposals per node key; None = whole plan.

    With ``listed``, hidden ones count too: the consultation's page lists them
    (with the moderator's reason), and its counts must agree with its list.
    """
    queryset = Proposal.objects.filter(consultation=consultation, withdrawn_at__isnull=True)
    if not listed:
        queryset = queryset.filter(hidden=False)
    rows = queryset.values("target_key").annotate(n=Count("id"))
    return {row["target_key"]: row["n"] for row in rows}


def proposals_of(user: User) -> QuerySet[Proposal]:
    """A resident's own proposals, every state included, newest first."""
    return (
        _with_counts(Proposal.objects.filter(author=user))
        .select_related("consultation__version__plan")
        .order_by("-created_at", "-id")
    )


def proposal_for_user(user: AnyUser, proposal_id: int | str) -> Proposal:
    """A proposal this user may see: public ones, one's own, and any for staff."""
    queryset = _with_counts(Proposal.objects.all(), user).select_related(
        "consultation__version__plan"
    )
    try:
        proposal = queryset.get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if proposal.withdrawn_at and not (is_staff_member(user) or proposal.is_authored_by(user)):
        raise Http404
    return proposal


def proposal_by_number(user: AnyUser, consultation: Consultation, number: int) -> Proposal:
    """The proposal of ``consultation`` numbered ``number``, for its own page.

    The public reads a public proposal; one hidden by a moderator is found
    by staff only, and a withdrawn one by staff and its author (their "my
    proposals" page links it). Anyone else gets a 404, as if the number had
    never been given.
    """
    queryset = _with_counts(
        Proposal.objects.filter(consultation=consultation, public_number=number), user
    )
    proposal = queryset.first()
    if proposal is None:
        raise Http404
    if is_staff_member(user):
        return proposal
    if proposal.hidden or (proposal.withdrawn_at and not proposal.is_authored_by(user)):
        raise Http404
    return proposal


def staff_proposals(
    consultation: Consultation, *, status: str = "", reported: bool = False
) -> QuerySet[Proposal]:
    """Every proposal of a consultation for moderators, with report counts."""
    queryset = Proposal.objects.filter(consultation=consultation)
    if status == "unanswered":
        queryset = queryset.filter(response_status="", withdrawn_at__isnull=True)
    elif status == "prepared":
        queryset = queryset.exclude(response_status="").filter(response_published_at__isnull=True)
    elif status == "published":
        queryset = queryset.filter(response_published_at__isnull=False)
    elif status == HIDDEN:
        queryset = queryset.filter(hidden=True)
    elif status == WITHDRAWN:
        queryset = queryset.filter(withdrawn_at__isnull=False)
    queryset = _with_counts(queryset).annotate(report_count=Count("reports", distinct=True))
    if reported:
        queryset = queryset.filter(report_count__gt=0)
    return queryset.order_by("created_at", "id")


def elderships() -> QuerySet[Eldership]:
    return Eldership.objects.all()


# --- The outcome: the table of proposals and answers -----------------------------------


def _listed_rows(consultation: Consultation) -> list[Proposal]:
    """The proposals the public table lists: neither withdrawn nor hidden, with
    their support counts (answers published or not)."""
    return list(
        Proposal.objects.visible()
        .filter(consultation=consultation)
        .select_related("author", "eldership")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("target_code", "created_at", "id")
    )


def outcome(consultation: Consultation) -> dict:
    """The table of proposals and answers with counts by node, status and eldership.

    The rows are the public proposals (``Proposal.objects.visible``), each
    under its public number; every count is a count of those rows, so the
    page, the CSV, the XLSX and the PDF annex agree with the list they show.
    A proposal hidden by a moderator keeps its number (the list has a gap
    there) and is neither listed nor counted; ``hidden`` says how many there
    are. Unpublished answers count as "awaiting an answer". Two queries.
    """
    proposals = _listed_rows(consultation)
    by_status = Counter(p.public_status for p in proposals)
    by_node: OrderedDict[str, dict[str, Any]] = OrderedDict()
    by_eldership: Counter[str] = Counter()
    rows = []
    for proposal in sorted(
        proposals,
        key=lambda p: (p.target_key is not None, _code_sort(p.target_code), p.public_number),
    ):
        node = proposal.target_code or ""
        entry = by_node.setdefault(
            node, {"code": proposal.target_code, "title": proposal.target_title, "total": 0}
        )
        entry["total"] += 1
        by_eldership[proposal.eldership.name if proposal.eldership else ""] += 1
        rows.append(outcome_row(proposal))
    statuses = [
        {"status": value, "label": str(STATUS_LABELS[value]), "count": by_status.get(value, 0)}
        for value in [PENDING, *ResponseStatus.values]
    ]
    elderships_counted = [
        {"name": name or _("Not given"), "count": count}
        for name, count in sorted(by_eldership.items(), key=lambda item: (item[0] == "", item[0]))
    ]
    return {
        "consultation": consultation,
        "rows": rows,
        "total": len(rows),
        "hidden": Proposal.objects.filter(
            consultation=consultation, withdrawn_at__isnull=True, hidden=True
        ).count(),
        "by_status": statuses,
        "by_node": list(by_node.values()),
        "by_eldership": elderships_counted,
    }


def _code_sort(code: str) -> list[tuple[int, int, str]]:
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in (code or "").split(".")
    ]


def outcome_row(proposal: Proposal) -> dict:
    """One row of the public table: never an e-mail, a name only if shown."""
    status = proposal.public_status
    return {
        "id": proposal.pk,
        "number": proposal.public_number,
        "path": proposal.get_absolute_url(),
        "code": proposal.target_code,
        "node": proposal.target_title,
        "author": proposal.author_display,
        "eldership": proposal.eldership.name if proposal.eldership else "",
        "submitted": proposal.created_at,
        "text": "" if proposal.hidden else proposal.text,
        "hidden_reason": proposal.hidden_reason if proposal.hidden else "",
        "supports": getattr(proposal, "support_count", 0),
        "status": status,
        "status_label": str(STATUS_LABELS[status]),
        "response": proposal.response_text
        if proposal.response_published_at and not proposal.hidden
        else "",
    }


# --- Who hears of an answer ---------------------------------------------------------------


def answer_recipients(proposals: list[Proposal]) -> dict[int, list[tuple[User, bool]]]:
    """Who gets a letter when ``proposals``' answers are published, per proposal:
    ``(user, as_author)`` pairs, the author first, then the supporters.

    Active accounts only, and none that turned such letters off
    (``AnswerLetterOptOut``). Three queries whatever the number of proposals.
    """
    from django.contrib.auth import get_user_model

    ids = [p.pk for p in proposals]
    supporters: dict[int, list[int]] = {}
    for proposal_id, user_id in (
        Support.objects.filter(proposal_id__in=ids)
        .order_by("created_at", "id")
        .values_list("proposal_id", "user_id")
    ):
        supporters.setdefault(proposal_id, []).append(user_id)
    wanted = {p.author_id for p in proposals if p.author_id is not None}
    wanted.update(user_id for users in supporters.values() for user_id in users)
    users = {
        user.pk: user
        for user in get_user_model()
        .objects.filter(pk__in=wanted, is_active=True)
        .exclude(pk__in=AnswerLetterOptOut.objects.values("user_id"))
    }
    recipients: dict[int, list[tuple[User, bool]]] = {}
    for proposal in proposals:
        chosen = recipients.setdefault(proposal.pk, [])
        if proposal.author_id in users:
            chosen.append((users[proposal.author_id], True))
        for user_id in supporters.get(proposal.pk, []):
            if user_id in users and user_id != proposal.author_id:
                chosen.append((users[user_id], False))
    return recipients


def prepared_answers(consultation: Consultation) -> QuerySet[Proposal]:
    """The prepared answers ``answers_publish`` would publish now."""
    return (
        Proposal.objects.filter(
            consultation=consultation, response_published_at__isnull=True, withdrawn_at__isnull=True
        )
        .exclude(response_status="")
        .select_related("consultation")
    )


def publish_preview(consultation: Consultation) -> dict:
    """What "publish all prepared answers" would do: how many answers become
    public, and how many letters go to how many residents (authors and
    supporters, as ``answer_recipients`` chooses them)."""
    proposals = list(prepared_answers(consultation).order_by("public_number"))
    recipients = answer_recipients(proposals)
    letters = [pair for pairs in recipients.values() for pair in pairs]
    return {
        "answers": len(proposals),
        "proposals": proposals,
        "letters": len(letters),
        "residents": len({user.pk for user, _as_author in letters}),
        "authors": len({user.pk for user, as_author in letters if as_author}),
        "supporters": len({user.pk for user, as_author in letters if not as_author}),
    }


def answer_letters_enabled(user: AnyUser) -> bool:
    """Whether ``user`` gets letters about answers (the profile's setting)."""
    if user.pk is None:  # an anonymous visitor gets no letters at all
        return False
    return not AnswerLetterOptOut.objects.filter(user_id=user.pk).exists()


# --- For the plan's PDF ------------------------------------------------------------------


def pdf_annex(*, version: PlanVersion) -> dict | None:
    """What the PDF's consultation annex shows, or None when the version had none.

    The public table's rows and counts (``outcome``), each proposal under
    its public number; published answers only (a prepared answer is not
    public yet). A constant number of queries (three).
    """
    consultation = Consultation.objects.filter(version=version).first()
    if consultation is None:
        return None
    data = outcome(consultation)
    data["generated_at"] = timezone.now()
    return data


# --- Personal data (for the accounts app's download) ----------------------------------------


def personal_data(*, user: User) -> dict:
    """Everything the consultations hold about ``user``, JSON-serialisable."""
    proposals = (
        Proposal.objects.filter(author=user)
        .select_related("consultation", "eldership")
        .prefetch_related("revisions")
        .order_by("created_at", "id")
    )

    # Every moment as the rest of the file writes it: Vilnius time with its offset.
    moment = export_datetime

    return {
        "proposals": [
            {
                "id": p.pk,
                "number": p.public_number,
                "consultation": p.consultation.title,
                "consultation_id": p.consultation_id,
                "target": str(p.target_key) if p.target_key else None,
                "target_code": p.target_code,
                "text": p.text,
                "show_name": p.show_name,
                "eldership": p.eldership.name if p.eldership else None,
                "submitted_at": moment(p.created_at),
                "edited_at": moment(p.edited_at),
                "earlier_texts": [
                    {
                        "text": r.text,
                        "written_at": moment(r.written_at),
                        "replaced_at": moment(r.replaced_at),
                    }
                    for r in p.revisions.all()
                ],
                "withdrawn_at": moment(p.withdrawn_at),
                "privacy_notice_accepted_at": moment(p.consented_at),
                "status": p.public_status,
                "hidden_reason": p.hidden_reason,
                "response": (
                    {
                        "status": p.response_status,
                        "text": p.response_text,
                        "published_at": moment(p.response_published_at),
                    }
                    if p.response_published_at
                    else None
                ),
            }
            for p in proposals
        ],
        "supports": [
            {
                "proposal": s.proposal_id,
                "consultation_id": s.proposal.consultation_id,
                "number": s.proposal.public_number,
                "at": moment(s.created_at),
            }
            for s in Support.objects.filter(user=user)
            .select_related("proposal")
            .order_by("created_at")
        ],
        "reports": [
            {
                "proposal": r.proposal_id,
                "consultation_id": r.proposal.consultation_id,
                "number": r.proposal.public_number,
                "reason": r.reason,
                "at": moment(r.created_at),
            }
            for r in Report.objects.filter(user=user)
            .select_related("proposal")
            .order_by("created_at")
        ],
    }
