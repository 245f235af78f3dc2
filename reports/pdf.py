"""The yearly report as a document: its PDF, made by the worker and stored.

The plan's PDF machinery (documents/services.py) does the typography and
the rendering: the same stylesheet and shipped fonts, the same static-only
URL fetcher, the same tagged PDF/UA-1 or PDF/A-3a (``render_pdf``). What is
the report's own lives here:

1. ``pdf_context(report)`` reads what the report shows (its frozen snapshot,
   a draft's content as submission would freeze it) in a fixed number of
   queries, with the charts drawn from the rows;
2. ``report_html(report)`` renders ``templates/reports/pdf/`` in the active
   language;
3. the store (``ReportDocument``): ``document_request`` never renders, it
   finds the stored PDF or claims a pending row and queues
   ``reports.tasks.render_report_document``; ``document_render`` is the
   worker's side.

A stored document is valid for the report's status and ``change_counter``
(bumped by every change of the report: a status, a narrative, the council
decision), which both lead its key, so a request for a submitted or approved
report finds its PDF without building any HTML. A draft's figures follow the
live monitoring data without a change of the report, so for a draft the
request compares the HTML's hash, as documents does for a plan's draft.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any, TypeGuard

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from documents.models import DocumentStatus, DocumentVariant
from documents.services import (
    PDF_FONT_FAMILY,
    SVG_WITHOUT_FONT,
    _css_content,
    content_hash,
    render_pdf,
)
from documents.store import claim as _claim_row
from documents.store import delete_documents as _delete_documents
from documents.store import is_ready
from documents.store import is_waiting as _waiting
from documents.store import requeue as _requeue
from plans.words import words_for

from . import selectors
from .charts import indicator_row_chart
from .models import FROZEN_STATUSES, RECORD_STATUSES, Report, ReportDocument, ReportStatus

if TYPE_CHECKING:
    pass

REPORT_STYLESHEET = "css/report-pdf.css"
# The key of a document asked for before anyone built its HTML; the worker
# replaces it by the content's hash.
QUEUED = "queued"


# --- 1. What the document shows ----------------------------------------------------


def _with_font(html: str) -> SafeString:
    # WeasyPrint draws inline SVG apart from the document's CSS: naming the
    # shipped font on each <svg> keeps every font in the PDF our own.
    return mark_safe(SVG_WITHOUT_FONT.sub(f'<svg font-family="{PDF_FONT_FAMILY}"', html))


def _charted(rows: list[dict], prefix: str) -> list[dict]:
    """The indicator rows, each with its chart (None when there is nothing to draw)."""
    charted = []
    for index, row in enumerate(rows):
        has_data = row.get("baseline") is not None or any(
            point["target"] is not None or point["actual"] is not None
            for point in row.get("series", [])
        )
        chart = (
            _with_font(indicator_row_chart(row, chart_id=f"{prefix}-{index}")) if has_data else None
        )
        charted.append({**row, "chart": chart})
    return charted


def _extra_sections(content: dict, report: Report) -> list[dict]:
    """The other parts' sections (``ReportSection``), each rendered from its frozen dict."""
    sections = []
    for extra in selectors.extra_sections(content):
        html = render_to_string(extra["template"], {"section": extra["section"], "report": report})
        sections.append({**extra, "title": str(extra["title"]), "html": _with_font(html)})
    return sections


def pdf_context(report: Report) -> dict:
    """Everything the report's PDF shows, in a fixed number of queries.

    ``report`` should come with its plan, version and round
    (``select_related``). A submitted or approved report reads its snapshot
    (no query at all); a draft is built as submitting it would freeze it,
    from the published rounds (``snapshot.build(report)``): a stored PDF is a
    document, the same for every staff member who downloads it.
    """
    content = selectors.report_content(report, None)
    priorities = []
    for p_index, priority in enumerate(content.get("priorities", [])):
        goals = [
            {
                **goal,
                "indicators": _charted(goal["indicators"], f"chart-{p_index}-{g_index}"),
            }
            for g_index, goal in enumerate(priority["goals"])
        ]
        priorities.append({**priority, "goals": goals})
    summary = content.get("summary", {})
    return {
        "report": report,
        "content": content,
        "plan": content.get("plan", {}),
        "summary": summary,
        "priorities": priorities,
        "extra_sections": _extra_sections(content, report),
        "words": words_for(report.plan),
        "municipality": content.get("plan", {}).get("municipality")
        or settings.PLANPORTAL_MUNICIPALITY,
        # Under review the figures are frozen, but the report is not yet the
        # council's: every page says so until it is approved.
        "draft_mark": report.status not in RECORD_STATUSES,
        "superseded": report.status == ReportStatus.SUPERSEDED,
    }


# --- 2. HTML -------------------------------------------------------------------------


def report_html(report: Report) -> str:
    """The report's document as HTML in the active language (WeasyPrint's input)."""
    context = pdf_context(report)
    context["page_footer"] = mark_safe(
        _css_content(_("Page %(page)s of %(pages)s"), page="counter(page)", pages="counter(pages)")
    )
    context["draft_word"] = _("DRAFT")
    context["language"] = translation.get_language() or settings.LANGUAGE_CODE
    # The plan's and the narratives' text is Lithuanian whatever language the
    # labels are in (screen readers and hyphenation follow it).
    context["content_lang"] = settings.LANGUAGE_CODE
    return render_to_string("reports/pdf/report.html", context)


def _report_stylesheet() -> bytes:
    found = finders.find(REPORT_STYLESHEET)
    if not found:
        raise FileNotFoundError(REPORT_STYLESHEET)
    with open(found, "rb") as file:
        return file.read()


def state_prefix(report: Report) -> str:
    """What a stored document of ``report`` must start its key with to be current."""
    return f"c{report.change_counter}:"


def document_key(report: Report, html: str, *, variant: str) -> str:
    """The key of a document: the report's state, then the hash of the HTML and
    both stylesheets (a deployment that changes the layout renders drafts again)."""
    digest = content_hash(html + _report_stylesheet().decode(), variant=variant)
    prefix = state_prefix(report)
    return prefix + digest[: 64 - len(prefix)]


def download_filename(report: Report, *, ascii_only: bool = False) -> str:
    """E.g. "Kauno rajono … planas, 2020 metų įgyvendinimo ataskaita.pdf"."""
    name = f"{report.plan.title}, " + _("%(year)d implementation report") % {"year": report.year}
    if report.revision > 1:
        name += f" ({report.revision})"
    if ascii_only:
        folded = unicodedata.normalize("NFKD", name.replace("–", "-"))
        name = "".join(c for c in folded if not unicodedata.combining(c))
        name = name.encode("ascii", "ignore").decode()
        name = re.sub(r"[^A-Za-z0-9.,()\- ]+", "", name)
    name = re.sub(r'[\\/:*?"<>|\r\n]+', " ", name)
    return re.sub(r"\s+", " ", name).strip()[:150] + ".pdf"


# --- 3. The store --------------------------------------------------------------------


def _ready(document: ReportDocument | None) -> TypeGuard[ReportDocument]:
    return is_ready(document)


def _claim(*, report: Report, language: str, variant: str, key: str) -> tuple[ReportDocument, bool]:
    lookup = {"report": report, "language": language, "variant": variant, "content_hash": key}
    return _claim_row(ReportDocument, lookup, report_status=report.status)


def _queue_render(document: ReportDocument) -> None:
    from . import tasks

    # On the database queue the job is a row of this transaction: it exists
    # exactly when the pending document does (the Redis queue sends it on commit).
    tasks.render_report_document.enqueue(document.pk)


def document_request(
    *, report: Report, variant: str, language: str | None = None
) -> ReportDocument:
    """The stored PDF of ``report``, or a pending document whose rendering is queued.

    Preconditions: the caller has checked that the user may read ``report``
    (``selectors.report_for_user``); ``variant`` is a ``DocumentVariant``.
    Never renders. A submitted or approved report's request builds no HTML
    (its key's state prefix says whether the stored PDF is current); a
    draft's builds it to compare, once something was stored. The first
    request queues one job; later ones find it pending.
    """
    variant = DocumentVariant(variant)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    rows = ReportDocument.objects.filter(
        report=report,
        language=language,
        variant=variant,
        report_status=report.status,
        content_hash__startswith=state_prefix(report),
    )
    if report.status != ReportStatus.DRAFT:
        stored = rows.filter(status=DocumentStatus.READY).order_by("-rendered_at").first()
        if _ready(stored):
            return stored
    latest = rows.order_by("-requested_at").first()
    if latest is not None and _waiting(latest):
        return latest
    if latest is None:
        key = state_prefix(report) + QUEUED
    else:
        with translation.override(language):
            html = report_html(report)
        key = document_key(report, html, variant=variant)
    with transaction.atomic():
        document, created = _claim(report=report, language=language, variant=variant, key=key)
        if not _ready(document) and (created or _requeue(document)):
            _queue_render(document)
    return document


def _stored_file_name(document: ReportDocument) -> str:
    digest = document.content_hash.split(":", 1)[-1][:20]
    return (
        f"reports/pdf/report-{document.report_id}-{document.language}-"
        f"{document.variant}-{document.report_status}-{digest}.pdf"
    )


def _store_rendered(*, document_id: int, html: str, variant: str) -> ReportDocument | None:
    """Render ``html`` and store it as the file of document ``document_id``.

    A failure marks the row failed, with the error, and is raised again. A
    row deleted meanwhile stores nothing (None).
    """
    try:
        pdf = render_pdf(html, variant=variant)
    except Exception as error:
        ReportDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED, error=repr(error)[:2000]
        )
        raise
    document = ReportDocument.objects.filter(pk=document_id).first()
    if document is None:
        return None
    name = _stored_file_name(document)
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(pdf))
    with transaction.atomic():
        updated = ReportDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.READY,
            file=stored,
            size=len(pdf),
            rendered_at=timezone.now(),
            error="",
        )
        if not updated:
            default_storage.delete(stored)
            return None
        # Earlier renderings (an older state, a draft's older content) are
        # never served again: keep the newest; one asked for later still renders.
        _delete_documents(
            ReportDocument.objects.filter(
                report_id=document.report_id, language=document.language, variant=document.variant
            )
            .exclude(pk=document_id)
            .exclude(status=DocumentStatus.PENDING, requested_at__gt=document.requested_at)
        )
    document.refresh_from_db()
    return document


def document_render(*, document_id: int) -> ReportDocument | None:
    """Render document ``document_id`` and store it (the worker's job, never a request's).

    Preconditions: none. A row that is gone, or ready, is returned as it is;
    one asked for a state the report has left (submitted, then taken back)
    is dropped, since the new state's request claims its own. The HTML is
    built here; when its key is not the row's (a "wanted" row, a draft
    edited since), the content is rendered under its own row.
    """
    document = (
        ReportDocument.objects.select_related("report__plan", "report__version", "report__round")
        .filter(pk=document_id)
        .first()
    )
    if document is None or _ready(document):
        return document
    report = document.report
    if document.report_status != report.status or not document.content_hash.startswith(
        state_prefix(report)
    ):
        ReportDocument.objects.filter(pk=document.pk).exclude(status=DocumentStatus.READY).delete()
        return None
    with translation.override(document.language):
        html = report_html(report)
    key = document_key(report, html, variant=document.variant)
    if key != document.content_hash:
        asked_for = document.pk
        document, _created = _claim(
            report=report, language=document.language, variant=document.variant, key=key
        )
        ReportDocument.objects.filter(pk=asked_for).exclude(status=DocumentStatus.READY).delete()
        if _ready(document):
            return document
        fields: dict[str, Any] = {
            "status": DocumentStatus.PENDING,
            "requested_at": timezone.now(),
            "error": "",
        }
        ReportDocument.objects.filter(pk=document.pk).update(**fields)
        document.refresh_from_db()
    return _store_rendered(document_id=document.pk, html=html, variant=document.variant)


def document_prerender(*, report_id: int) -> list[ReportDocument]:
    """Queue the PDF of a report the council or the public is about to open.

    Preconditions: none (a report gone, or back to draft, is left alone).
    Every language of the portal in the default variant (the download's),
    and for an approved report the archival PDF/A in the portal's language.
    """
    report = Report.objects.select_related("plan", "version", "round").filter(pk=report_id).first()
    if report is None or report.status not in FROZEN_STATUSES:
        return []
    wanted = [(settings.PDF_DEFAULT_VARIANT, code) for code, _name in settings.LANGUAGES]
    if report.status == ReportStatus.APPROVED:
        wanted.append((DocumentVariant.PDFA, settings.LANGUAGE_CODE))
    return [
        document_request(report=report, variant=variant, language=language)
        for variant, language in dict.fromkeys(wanted)
    ]


def queue_prerender(*, report: Report) -> None:
    """Have the worker render a report's PDF now that it was submitted, approved,
    superseded or its decision recorded (reports/services.py calls it).

    Preconditions: called inside the transaction that changed the report; on
    the database queue the job is part of it, so it exists exactly when the
    change does. Cheap: one insert, no HTML.
    """
    if report.status in FROZEN_STATUSES:
        from . import tasks

        tasks.prerender_report.enqueue(report.pk)
