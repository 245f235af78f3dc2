"""The plan as a document: a version rendered to a print-quality PDF.

Three steps, kept apart so that each can be measured and reused:

1. ``document_context(version)`` reads everything the document shows in a
   fixed number of queries (the tree, the budget summary, the annexes);
2. ``document_html(version)`` renders it with ``templates/documents/pdf/`` in the
   active language (Lithuanian by default);
3. ``render_pdf(html, variant=...)`` turns that HTML into a tagged PDF with
   WeasyPrint, with the fonts shipped in ``static/fonts`` embedded.

``document_request`` ties them to the store (``PlanDocument``) and never
renders: a web request gets the stored PDF or a pending document, whose
rendering it queues at most once, and reports "being prepared";
``document_render`` is the worker's side (``documents/tasks.py``,
``manage.py worker``). An approved or superseded version is rendered once; a
draft or a version under consultation again only when the HTML it produces
changed.
"""

from __future__ import annotations

import gc
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from documents import sections
from documents.models import DocumentStatus, DocumentVariant, PlanDocument
from documents.store import (
    FAILED_RETRY_SECONDS,  # noqa: F401  (re-exported: tests and reports read them here)
    PENDING_RETRY_SECONDS,  # noqa: F401
    is_ready,
)
from documents.store import claim as _claim_row
from documents.store import (
    delete_documents as _delete_documents,
)
from documents.store import (
    is_waiting as _waiting,
)
from documents.store import (
    requeue as _requeue,
)
from planportal.extensions import PdfAnnex, registry
from plans.kinds import PlanKind
from plans.models import PlanVersion, VersionStatus
from plans.selectors import budget_summary, funding_grid, version_tree

if TYPE_CHECKING:
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher, URLFetcherResponse

# WeasyPrint's names of the variants offered (plans.models.DocumentVariant).
PDF_VARIANTS = {DocumentVariant.UA: "pdf/ua-1", DocumentVariant.PDFA: "pdf/a-3a"}
# A version in these states never changes again: its document is rendered once.
IMMUTABLE_STATUSES = frozenset({VersionStatus.APPROVED, VersionStatus.SUPERSEDED})
# The key of a document requested before anyone built its HTML (followed by
# the version's status); the worker replaces it by the content's hash.
QUEUED_PREFIX = "queued:"
# A stored PDF of a version in these states is served at once, though its
# annexes may change (proposals and answers, the climate part): at most once a
# minute per document and process a request asks the worker to check it, so
# the PDF trails them by a minute and a rendering at most, and no reader waits.
RECHECKED_STATUSES = frozenset({VersionStatus.CONSULTATION, VersionStatus.COUNCIL_REVIEW})
RECHECK_SECONDS = 60
# Rendered before anyone asks (documents/apps.py): a version readers or the
# council are about to open.
PRERENDERED_STATUSES = frozenset(
    {
        VersionStatus.CONSULTATION,
        VersionStatus.COUNCIL_REVIEW,
        VersionStatus.APPROVED,
        VersionStatus.SUPERSEDED,
    }
)
STYLESHEET = "css/pdf.css"
# The family static/css/pdf.css declares with @font-face (static/fonts).
PDF_FONT_FAMILY = "Liberation Sans"
SVG_WITHOUT_FONT = re.compile(r"<svg(?![^>]*\bfont-family=)")


# --- 1. What the document shows ----------------------------------------------------


def _annex_html(annex: PdfAnnex, version: PlanVersion) -> str | None:
    """An annex registered by another app (planportal/extensions.py), as HTML,
    or None when that app has nothing to say about ``version``."""
    data = annex.context(version=version)
    if data is None:
        return None
    context = {**data, "annex": data, "version": version, "plan": version.plan}
    html = render_to_string(annex.template, context)
    # WeasyPrint draws inline SVG apart from the document's CSS, so chart text
    # would fall back to whatever sans-serif font the server has; naming the
    # shipped font on each <svg> keeps every font in the PDF our own.
    html = SVG_WITHOUT_FONT.sub(f'<svg font-family="{PDF_FONT_FAMILY}"', html)
    return mark_safe(html)


def document_context(version: PlanVersion) -> dict:
    """Everything the document shows, in a fixed number of queries.

    ``version`` should come with its plan (``select_related("plan")``). The
    kind of plan decides the words and the parts (``documents.sections``).
    """
    tree = version_tree(version)
    for measure in tree.all_measures:
        # A row per source, a column per funded year: the measure page's grid
        # the other way round.
        measure.funding_grid = funding_grid(measure.funding_list).transposed()
    budget = budget_summary(version)
    words = sections.kind_words(version)
    development = sections.attach_measure_details(version, tree)
    annexes = []
    for annex in registry.pdf_annexes:
        html = _annex_html(annex, version)
        if html:
            annexes.append({"id": annex.id, "title": str(annex.title), "html": html})
    return {
        "version": version,
        "plan": version.plan,
        "municipality": settings.PLANPORTAL_MUNICIPALITY,
        "tree": tree,
        "budget": budget,
        "annexes": annexes,
        **words,
        "development_version": development,
        "appropriations": sections.appropriations(version, tree) if words["is_action"] else None,
        "indicator_cards": sections.indicator_cards(version, tree),
        "draft_mark": version.status not in IMMUTABLE_STATUSES,
        "superseded": version.status == VersionStatus.SUPERSEDED,
    }


# --- 2. HTML -------------------------------------------------------------------------


def _css_content(message: str, **counters: str) -> str:
    """A translated sentence with counters as a CSS ``content`` value.

    "Page %(page)s of %(pages)s" becomes
    ``"" counter(page) " puslapis iš " counter(pages) ""`` in Lithuanian, so
    that translators keep whole sentences and the word order of their language.
    """
    parts = re.split(r"%\((\w+)\)s", message)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(counters[part])
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'"{escaped}"')
    return " ".join(out)


def document_html(version: PlanVersion) -> str:
    """The document as HTML in the active language (WeasyPrint's input)."""
    context = document_context(version)
    context["page_footer"] = mark_safe(
        _css_content(_("Page %(page)s of %(pages)s"), page="counter(page)", pages="counter(pages)")
    )
    context["draft_word"] = _("DRAFT")
    context["language"] = translation.get_language() or settings.LANGUAGE_CODE
    # The plan's own text is Lithuanian whatever language the labels are in:
    # marked so, screen readers pronounce it and WeasyPrint hyphenates it right.
    context["content_lang"] = settings.LANGUAGE_CODE
    return render_to_string("documents/pdf/document.html", context)


# --- 3. PDF --------------------------------------------------------------------------


def _static_roots() -> list[Path]:
    roots = [Path(path) for path in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


def _url_fetcher() -> URLFetcher:
    """WeasyPrint may read the portal's own static files and nothing else.

    The HTML holds text typed by staff and residents (escaped, but still): a
    document must never make the server fetch a URL on anyone's behalf.
    """
    from weasyprint.urls import URLFetcher

    roots = _static_roots()

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                path = Path(url.removeprefix("file://").split("?")[0].split("#")[0]).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"PDF export does not fetch {url}")

    return StaticOnlyFetcher(allowed_protocols={"file", "data"})


def stylesheet_path() -> Path:
    found = finders.find(STYLESHEET)
    if not found:
        raise FileNotFoundError(STYLESHEET)
    return Path(found)


def render_pdf(html: str, *, variant: str = DocumentVariant.UA) -> bytes:
    """WeasyPrint's PDF of ``html``, tagged, with the shipped fonts embedded."""
    from weasyprint.text.fonts import FontConfiguration

    fetcher = _url_fetcher()
    fonts = FontConfiguration()
    # WeasyPrint allocates millions of short-lived objects; each full garbage
    # collection would also walk every object the server process holds (Django,
    # the plan just loaded). Freezing those for the render's duration keeps the
    # collector to WeasyPrint's own objects (measured: benchmarks/pdf_export.py).
    gc.freeze()
    try:
        return _write_pdf(html, variant=variant, fetcher=fetcher, fonts=fonts)
    finally:
        gc.unfreeze()


def _write_pdf(html: str, *, variant: str, fetcher: URLFetcher, fonts: FontConfiguration) -> bytes:
    from weasyprint import HTML

    # The HTML links "pdf.css" relative to the stylesheets' folder: an author
    # stylesheet, so that it and the document's own <style> cascade as one
    # (WeasyPrint's ``stylesheets`` argument would make it a user stylesheet).
    document = HTML(string=html, base_url=str(stylesheet_path().parent) + "/", url_fetcher=fetcher)
    return document.write_pdf(
        font_config=fonts,
        pdf_variant=PDF_VARIANTS[DocumentVariant(variant)],
        # A stable identifier: the same HTML gives the same file, byte for byte
        # apart from the creation date.
        pdf_identifier=hashlib.md5(html.encode()).hexdigest().encode(),
    )


def content_hash(html: str, *, variant: str) -> str:
    """What a stored document is keyed on: the HTML, the stylesheet and the variant.

    The stylesheet is part of it so that a deployment that changes the layout
    renders drafts again.
    """
    digest = hashlib.sha256()
    digest.update(variant.encode())
    digest.update(stylesheet_path().read_bytes())
    digest.update(html.encode())
    return digest.hexdigest()


def download_filename(version: PlanVersion, *, ascii_only: bool = False) -> str:
    """E.g. "Kauno rajono savivaldybės 2013–2020 metų strateginis plėtros planas, 2 versija.pdf"."""
    name = f"{version.plan.title}, {version.get_label()}"
    if ascii_only:
        folded = unicodedata.normalize("NFKD", name.replace("–", "-"))
        name = "".join(c for c in folded if not unicodedata.combining(c))
        name = name.encode("ascii", "ignore").decode()
        name = re.sub(r"[^A-Za-z0-9.,\- ]+", "", name)
    name = re.sub(r'[\\/:*?"<>|\r\n]+', " ", name)
    return re.sub(r"\s+", " ", name).strip()[:150] + ".pdf"


# --- The store -----------------------------------------------------------------------


def _stored_file_name(document: PlanDocument) -> str:
    return (
        f"plans/pdf/version-{document.version_id}-{document.language}-"
        f"{document.variant}-{document.content_hash[:20]}.pdf"
    )


def store_rendered(*, document_id: int, html: str, variant: str) -> PlanDocument | None:
    """Render ``html`` and store it as the file of document ``document_id``.

    Preconditions: the row exists (it may have been deleted with its draft
    meanwhile: then nothing is stored and None is returned). A failure marks
    the row failed, with the error, and is raised again.
    """
    try:
        pdf = render_pdf(html, variant=variant)
    except Exception as error:
        PlanDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.FAILED, error=repr(error)[:2000]
        )
        raise
    document = PlanDocument.objects.filter(pk=document_id).select_related("version").first()
    if document is None:
        return None
    name = _stored_file_name(document)
    # The name is the content's: a file already there holds the same PDF.
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(pdf))
    now = timezone.now()
    with transaction.atomic():
        updated = PlanDocument.objects.filter(pk=document_id).update(
            status=DocumentStatus.READY, file=stored, size=len(pdf), rendered_at=now, error=""
        )
        if not updated:
            default_storage.delete(stored)
            return None
        # Earlier renderings of this version (a draft's older content, an
        # approved version's document once it is superseded) are never served
        # again: keep the newest only. A rendering requested after this one
        # and still under way is left to finish.
        _delete_documents(
            PlanDocument.objects.filter(
                version_id=document.version_id,
                language=document.language,
                variant=document.variant,
            )
            .exclude(pk=document_id)
            .exclude(status=DocumentStatus.PENDING, requested_at__gt=document.requested_at)
        )
    document.refresh_from_db()
    return document


def _recheck_now_and_then(document: PlanDocument) -> None:
    from documents import tasks

    # cache.add is atomic: one request per interval (per process with the
    # in-process cache, per site with Redis) queues the check.
    if cache.add(f"documents:recheck:{document.pk}", True, RECHECK_SECONDS):
        tasks.recheck_document.enqueue(document.pk)


def _queue_render(document: PlanDocument) -> None:
    from documents import tasks

    # On the database queue the job is a row of this transaction: it exists
    # exactly when the pending document does (the Redis queue sends it on commit).
    tasks.render_document.enqueue(document.pk)


def document_request(
    *, version: PlanVersion, variant: str, language: str | None = None
) -> PlanDocument:
    """The stored PDF of ``version``, or a pending document whose rendering is queued.

    Preconditions: the caller has checked that the user may read ``version``;
    ``variant`` is a ``DocumentVariant``. Never renders (``manage.py worker``
    does): returns a ready document, or a pending (or failed) one that the
    caller reports as being prepared. Building the HTML (a fixed number of
    queries, some 0.15 s for the demo) is left to the worker, except to check
    that a stored document of a draft is still what it shows (staff see their
    edit in the next download). The first request queues one job (the row's
    unique constraint and a conditional update see that two requests never
    queue two).
    """
    variant = DocumentVariant(variant)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    rows = PlanDocument.objects.filter(
        version=version, language=language, variant=variant, version_status=version.status
    )
    if version.status != VersionStatus.DRAFT:
        stored = rows.filter(status=DocumentStatus.READY).order_by("-rendered_at").first()
        if _ready(stored):
            if version.status in RECHECKED_STATUSES:
                _recheck_now_and_then(stored)
            return stored
    latest = rows.order_by("-requested_at").first()
    if latest is not None and _waiting(latest):
        # The worker builds the HTML when it renders, so the document it makes
        # is at least as new as this request: no need to build it here too.
        return latest

    if latest is None:
        # Nothing asked for in this state yet: the worker builds the HTML and
        # keys the document by its hash; the request only says "wanted".
        digest = QUEUED_PREFIX + version.status
    else:
        # Is what is stored (or failed) still what the version shows?
        with translation.override(language):
            html = document_html(version)
        digest = content_hash(html, variant=variant)
    with transaction.atomic():
        document, created = _claim(
            version=version, language=language, variant=variant, digest=digest
        )
        if not _ready(document) and (created or _requeue(document)):
            _queue_render(document)
    return document


def document_render(*, document_id: int) -> PlanDocument | None:
    """Render document ``document_id`` and store it (the worker's job, never a request's).

    Preconditions: none; the row may be gone (deleted with its draft: None is
    returned) or ready already (returned as it is). The HTML is built here,
    from what the version shows now: when that is no longer the content the
    row was claimed for (a draft edited meanwhile), the current content is
    rendered under its own row and the outdated row is dropped. A failure
    marks the row failed and is raised again (the queue keeps the traceback).
    """
    document = PlanDocument.objects.select_related("version__plan").filter(pk=document_id).first()
    if document is None or _ready(document):
        return document
    version = document.version
    with translation.override(document.language):
        html = document_html(version)
    digest = content_hash(html, variant=document.variant)
    if digest != document.content_hash:
        # A request that only said "wanted" (QUEUED_PREFIX), or a draft edited
        # since: the document is the current content's, under its own row.
        asked_for = document.pk
        document, _created = _claim(
            version=version, language=document.language, variant=document.variant, digest=digest
        )
        PlanDocument.objects.filter(pk=asked_for).exclude(status=DocumentStatus.READY).delete()
        # The same content may have been stored in another state (consultation
        # and council review print alike): it serves this state too. Otherwise
        # the row is pending from now on, so requests wait for this rendering.
        fields: dict[str, Any] = {"version_status": version.status}
        if not _ready(document):
            fields.update(status=DocumentStatus.PENDING, requested_at=timezone.now(), error="")
        PlanDocument.objects.filter(pk=document.pk).update(**fields)
        document.refresh_from_db()
        if _ready(document):
            return document
    return store_rendered(document_id=document.pk, html=html, variant=document.variant)


def invalidate_version_documents(version: PlanVersion) -> None:
    """Forget every stored PDF of ``version``, so that each is rendered anew.

    For what changes a frozen version's document without changing its content
    (its council decision, recorded or corrected): an approved version's PDF
    is otherwise served as stored for ever. Runs inside the caller's
    transaction; the files go once it commits. A rendering under way finds
    its row gone and stores nothing. Where a worker renders PDFs, the
    documents that were stored are queued again at once, so that readers do
    not wait (the worker renders them: ``document_request`` only queues).
    """
    documents = PlanDocument.objects.filter(version_id=version.pk)
    stored = set(documents.values_list("language", "variant"))
    _delete_documents(documents)
    if stored:

        def request_again() -> None:
            fresh = PlanVersion.objects.select_related("plan").get(pk=version.pk)
            for language, variant in sorted(stored):
                document_request(version=fresh, variant=variant, language=language)

        transaction.on_commit(request_again)


def refresh_implementing_documents(*, version: PlanVersion) -> None:
    """A development plan's new version in force: its action plans print it anew.

    An action plan's measures print the codes and titles of the development
    plan's goals and tasks they implement from the version in force
    (``documents.sections``); an approved or superseded action plan's PDF is
    otherwise never rendered again. Drafts and versions under consultation or
    review follow by their content's hash already. The ``StatusChange`` hook,
    inside the approving transaction: one query and a delete per version.
    """
    if version.status != VersionStatus.APPROVED or version.plan.kind != PlanKind.DEVELOPMENT:
        return
    implementing = PlanVersion.objects.filter(
        plan__development_plan_id=version.plan_id, status__in=IMMUTABLE_STATUSES
    ).select_related("plan")
    for action_version in implementing:
        invalidate_version_documents(action_version)


def document_recheck(*, document_id: int) -> PlanDocument | None:
    """Render a stored document again if its version no longer prints the same (the worker's job).

    Preconditions: none (a document gone, or of a version that moved on to
    another state, is left alone). Returns the document now current, or None.
    """
    stored = PlanDocument.objects.select_related("version__plan").filter(pk=document_id).first()
    if stored is None or stored.version.status != stored.version_status:
        return None
    version = stored.version
    with translation.override(stored.language):
        html = document_html(version)
    digest = content_hash(html, variant=stored.variant)
    if digest == stored.content_hash:
        return stored
    document, created = _claim(
        version=version, language=stored.language, variant=stored.variant, digest=digest
    )
    if _ready(document) or not (created or _requeue(document)):
        # Stored already, or queued by someone else: that job renders it.
        return document
    return store_rendered(document_id=document.pk, html=html, variant=document.variant)


def document_prerender(*, version_id: int) -> list[PlanDocument]:
    """Queue the PDF of a version that readers or the council are about to open.

    Preconditions: none (a version deleted or back to draft meanwhile is left
    alone). Every language of the portal, in the default variant: the one
    the download button gives, so the first reader gets it from the store.
    """
    version = PlanVersion.objects.select_related("plan").filter(pk=version_id).first()
    if version is None or version.status not in PRERENDERED_STATUSES:
        return []
    return [
        document_request(version=version, variant=settings.PDF_DEFAULT_VARIANT, language=code)
        for code, _name in settings.LANGUAGES
    ]


def queue_prerender(*, version: PlanVersion) -> None:
    """Queue ``document_prerender`` for a version that has just changed status.

    Preconditions: called inside the transaction that changed the status (the
    ``StatusChange`` hook, documents/apps.py); the job is part of it, so it
    exists exactly when the new status does. Cheap: one insert, no HTML.
    """
    if version.status in PRERENDERED_STATUSES:
        from documents import tasks

        tasks.prerender_version.enqueue(version.pk)


def _ready(document: PlanDocument | None) -> TypeGuard[PlanDocument]:
    return is_ready(document)


def _claim(
    *, version: PlanVersion, language: str, variant: str, digest: str
) -> tuple[PlanDocument, bool]:
    lookup = {"version": version, "language": language, "variant": variant, "content_hash": digest}
    return _claim_row(PlanDocument, lookup, version_status=version.status)
