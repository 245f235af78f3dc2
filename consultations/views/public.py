"""The consultation's public pages: the list, a consultation with its
proposals, the boxes on the plan's pages, and the outcome table with its CSV
and Excel files. Anyone may read them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from planportal import csvsafe, pagecache, xlsx
from plans.models import VersionStatus
from plans.search import MAX_QUERY_LENGTH
from plans.selectors import version_tree
from plans.words import words_for

from .. import amendment, selectors
from ..models import PUBLIC_STATUS_CHOICES, Consultation, ConsultationState, Proposal

PAGE_SIZE = 50


def index(request):
    return render(
        request, "consultations/index.html", {"consultations": selectors.consultations_list()}
    )


def _outline(consultation, counts, changes):
    """The draft's tree with each node's proposal count, while it is public.

    ``proposal_count`` is the node's own; ``proposals_within`` adds those on
    the parts under it, for an item shown collapsed. ``change`` marks what
    an amendment draft adds or changes (consultations/amendment.py).
    """
    if consultation.version.status != VersionStatus.CONSULTATION:
        return None
    tree = version_tree(consultation.version, with_details=False)

    def count(node) -> int:
        node.proposal_count = counts.get(node.key, 0)
        node.proposals_within = node.proposal_count + sum(count(c) for c in node.children)
        return node.proposals_within

    for priority in tree.priorities:
        count(priority)
    amendment.mark_outline(tree, changes)
    return tree


def _node_choices(consultation, tree):
    # Each part named with its level as the plan's kind calls it ("Programa 01 …").
    words = words_for(consultation.version.plan)

    def choice(level, code, title) -> str:
        label = words.level(level).label if level else ""
        return " ".join(str(part) for part in (label, code, title) if part)

    if tree is not None:
        return [
            (str(node.key), choice(node.tree_level.name, node.code, node.title))
            for node in tree.iter_nodes()
        ]
    seen: dict[str, str] = {}
    for key, level, code, title in (
        Proposal.objects.filter(consultation=consultation, target_key__isnull=False)
        .order_by("target_code")
        .values_list("target_key", "target_level", "target_code", "target_title")
    ):
        seen.setdefault(str(key), choice(level, code, title))
    return list(seen.items())


@pagecache.page_cache(logged_in=False)
def detail(request, consultation_id):
    """A consultation's page: what is consulted and until when, how to take
    part, the proposals (searched, filtered, sorted), then the draft's outline."""
    consultation = selectors.consultation_get(consultation_id)
    target = request.GET.get("target", "")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    sort = request.GET.get("sort", "")
    if sort not in selectors.PROPOSAL_ORDERS:
        sort = next(iter(selectors.PROPOSAL_ORDERS))
    try:
        proposals = selectors.public_proposals(
            consultation, target=target, status=status, q=q, order=sort, user=request.user
        )
        page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
        http_status = 200
    except ValidationError:
        target, http_status = "", 400
        proposals = selectors.public_proposals(
            consultation, status=status, q=q, order=sort, user=request.user
        )
        page = Paginator(proposals, PAGE_SIZE).get_page(1)
    # The same proposals as the list counts (hidden ones included, with their
    # reason), so that every number on the page agrees with what it lists.
    counts = selectors.node_counts(consultation, listed=True)
    changes = amendment.draft_changes(consultation.version)
    tree = _outline(consultation, counts, changes)
    context = {
        "consultation": consultation,
        "version": consultation.version,
        "plan": consultation.version.plan,
        "words": words_for(consultation.version.plan),
        "days_left": _days_left(consultation),
        "tree": tree,
        "changes": changes,
        "plan_count": counts.get(None, 0),
        "total_count": sum(counts.values()),
        "page": page,
        "node_choices": _node_choices(consultation, tree),
        "status_choices": PUBLIC_STATUS_CHOICES,
        "sort_choices": _sort_choices(),
        "target": target,
        "status": status,
        "q": q,
        "sort": sort,
        "filtered": bool(target or status or q),
        "query_without_page": _query_without_page(request),
    }
    response = render(request, "consultations/detail.html", context, status=http_status)
    # The page thousands of residents open during a consultation: the same for
    # every anonymous reader, kept until a proposal, a support, an answer or
    # the consultation changes (each bumps "consultations"), or until it opens
    # or closes. A free-text search is not kept: every distinct text would add
    # a page, so a crawler could push out the ones everyone reads.
    if not q and not request.user.is_authenticated:
        pagecache.mark_cacheable(response, until=_next_change(consultation))
    return response


def _next_change(consultation):
    """When the page would change by itself: the consultation opening or closing."""
    now = timezone.now()
    return min((m for m in (consultation.starts_at, consultation.ends_at) if m > now), default=None)


def _sort_choices() -> list[tuple[str, str]]:
    labels = {
        "newest": _("Newest first"),
        "supported": _("Most supported first"),
        "oldest": _("Oldest first"),
    }
    return [(value, labels[value]) for value in selectors.PROPOSAL_ORDERS]


def _days_left(consultation) -> int | None:
    """Whole days until the consultation closes, counted in local dates (0 on
    its last day); None unless it is open."""
    if consultation.state != ConsultationState.OPEN:
        return None
    today = timezone.localdate()
    return (timezone.localdate(consultation.ends_at) - today).days


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def home_panel(request) -> str:
    """The consultations under way, on the portal's home page (registered in
    consultations/apps.py): a resident who comes to read the plans learns that
    they can have their say now."""
    consultations = selectors.consultations_open()
    if not consultations:
        return ""
    return render_to_string(
        "consultations/includes/home_panel.html",
        {"consultations": consultations},
        request=request,
    )


def version_panel(request, version) -> str:
    """The consultation box on a version's page (registered in consultations/apps.py)."""
    return node_panel(request, version)


def node_panel(request, version, level=None, node_id=None, node_key=None) -> str:
    """The consultation box on a plan page of a version under consultation.

    The plan's pages of such a version are never cached whole (only approved
    and superseded ones are), so the count is always current.
    """
    if version.status != VersionStatus.CONSULTATION:
        return ""
    consultation = Consultation.objects.filter(version=version).first()
    if consultation is None:
        return ""
    queryset = Proposal.objects.visible().filter(consultation=consultation)
    if node_key is not None:
        queryset = queryset.filter(target_key=node_key)
    return render_to_string(
        "consultations/includes/node_panel.html",
        {"consultation": consultation, "count": queryset.count(), "node_key": node_key},
        request=request,
    )


def proposal(request, consultation_id, number):
    """A proposal's own page, its permanent address: the text, the status, the
    answer once published (selectors.proposal_by_number says who may read it)."""
    consultation = selectors.consultation_get(consultation_id)
    found = selectors.proposal_by_number(request.user, consultation, number)
    return render(
        request,
        "consultations/proposal.html",
        {
            "consultation": consultation,
            "plan": consultation.version.plan,
            "proposal": found,
            "can_support": consultation.state == "open"
            and not found.hidden
            and not found.withdrawn_at
            and request.user.is_authenticated
            and not found.is_authored_by(request.user),
        },
    )


def outcome(request, consultation_id):
    consultation = selectors.consultation_get(consultation_id)
    return render(
        request,
        "consultations/outcome.html",
        {
            "consultation": consultation,
            "plan": consultation.version.plan,
            "outcome": selectors.outcome(consultation),
        },
    )


def _file_rows(data, *, dates_as_text=True):
    header = [
        _("No."),
        _("Code"),
        _("Part of the plan"),
        _("Proposal"),
        _("Author"),
        _("Eldership"),
        _("Submitted"),
        _("Supports"),
        _("Status"),
        _("Answer"),
    ]
    rows = []
    # Each proposal under its public number, the one the page and the e-mails
    # use (hidden proposals are not rows: selectors.outcome).
    for row in data["rows"]:
        rows.append(
            [
                row["number"],
                row["code"] or "",
                row["node"] or _("The whole plan"),
                row["text"],
                row["author"],
                row["eldership"],
                (
                    timezone.localtime(row["submitted"]).strftime("%Y-%m-%d %H:%M")
                    if dates_as_text
                    else row["submitted"]
                ),
                row["supports"],
                row["status_label"],
                row["response"],
            ]
        )
    return header, rows


def outcome_csv(request, consultation_id):
    consultation = selectors.consultation_get(consultation_id)
    header, rows = _file_rows(selectors.outcome(consultation))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    # Residents write these texts: the shared writer quotes every field and
    # keeps any cell from running as a formula (planportal/csvsafe.py).
    writer = csvsafe.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def outcome_excel_csv(request, consultation_id):
    """The outcome as Lithuanian Excel opens a CSV: semicolons and a BOM
    (``outcome.csv`` stays comma-separated for programs)."""
    consultation = selectors.consultation_get(consultation_id)
    header, rows = _file_rows(selectors.outcome(consultation), dates_as_text=False)
    return csvsafe.excel_csv_response(header, rows, f"consultation-{consultation.pk}-excel.csv")


def outcome_xlsx(request, consultation_id):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    consultation = selectors.consultation_get(consultation_id)
    data = selectors.outcome(consultation)
    header, rows = _file_rows(data, dates_as_text=False)
    workbook = Workbook()
    # The shared layout (planportal/xlsx.py): bold frozen header, filter,
    # print setup, the submission time as a date.
    sheet = xlsx.table_sheet(
        workbook,
        _("Proposals"),
        header,
        rows,
        widths=(6, 12, 40, 60, 20, 24, 17, 10, 20, 60),
        first=True,
    )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    counts = workbook.create_sheet(_("Counts")[:31])
    counts.append([_("Status"), _("Proposals")])
    lines = [[item["label"], item["count"]] for item in data["by_status"]]
    lines += [[_("Total"), data["total"]]]
    if data["hidden"]:
        lines += [[_("Hidden by the moderator, not listed"), data["hidden"]]]
    lines += [[], [_("Part of the plan"), _("Proposals")]]
    lines += [
        [
            csvsafe.neutralise(f"{item['code']} {item['title']}".strip()) or _("The whole plan"),
            item["total"],
        ]
        for item in data["by_node"]
    ]
    lines += [[], [_("Eldership"), _("Proposals")]]
    lines += [[item["name"], item["count"]] for item in data["by_eldership"]]
    for line in lines:
        counts.append(line)
    # Three small tables under each other: no single filter range fits them.
    counts.column_dimensions["A"].width = 50
    counts.column_dimensions["B"].width = 12
    for row in counts.iter_rows():
        if row[1].value == _("Proposals"):
            row[0].font = row[1].font = Font(bold=True)
    xlsx.print_setup(counts)
    response = HttpResponse(xlsx.workbook_bytes(workbook), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="consultation-{consultation.pk}.xlsx"'
    return response
