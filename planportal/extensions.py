"""Where one part of the portal adds to another's pages without importing it.

``plans`` is the core: every feature app (council, review, documents,
consultations, climate …) imports it, and it imports none of them. Where a
plan's page, its PDF or its demo needs another part's content, that part
registers a hook here from its ``AppConfig.ready()``, and ``plans`` (or
``documents``, or ``council``) asks this registry. The arrows stay one way,
and a newcomer finds what a page shows by reading the hooks' owners.

Hooks run in ``order`` (then in registration order), so the page shows its
panels in a fixed order whatever the order of ``INSTALLED_APPS``.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from uuid import UUID

    from django.http import HttpRequest

    from plans.models import PlanVersion


@dataclass(frozen=True)
class VersionPanel:
    """HTML shown under a version's outline (``""`` for nothing).

    Called with ``(request, version)``. Such panels are rendered outside the
    page cache's fragments, so they must not depend on anything but the
    request and the version.
    """

    render: Callable[[HttpRequest, PlanVersion], str]
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """HTML shown on the portal's home page, under its introduction (``""`` for nothing).

    Called with ``(request)``; consultations tell of a consultation under way
    there. The home page is never cached whole, so a panel is always current.
    """

    render: Callable[[HttpRequest], str]
    order: int = 100


@dataclass(frozen=True)
class VersionAction:
    """A link or button in the row of actions on a version's page (``""`` for none).

    Called with ``(request, version)``; the HTML is one ``<a>`` or ``<form>``.
    """

    render: Callable[[HttpRequest, PlanVersion], str]
    order: int = 100


@dataclass(frozen=True)
class VersionWorkBox:
    """The work on a version that staff and council do next: HTML or ``""``.

    Called with ``(request, version)``; shown at the head of the staff
    outline and on the version page, above the outline. Council shows the
    version's state with submitting, taking back and its voting; review the
    open threads per item. Never part of a cached page: a box returns ``""``
    to anyone who is neither staff nor council, and reads only the request
    and the version (with a fixed number of queries, however big the plan).
    """

    render: Callable[[HttpRequest, PlanVersion], str]
    order: int = 100


@dataclass(frozen=True)
class NodePanel:
    """HTML shown on the page of one node of a version (``""`` for nothing).

    Called with ``(request, version, level, node_id, node_key)``.
    """

    render: Callable[[HttpRequest, PlanVersion, str, int, UUID], str]
    order: int = 100


@dataclass(frozen=True)
class PdfAnnex:
    """An annex of the plan's PDF: a context builder and its template.

    ``context(version=version)`` returns the template's context, or None when
    the part has nothing to say about this version (no annex then).
    """

    id: str
    title: Any  # a lazily translated string
    context: Callable[..., dict | None]
    template: str
    order: int = 100


@dataclass(frozen=True)
class SubmitGuard:
    """A reason a version may not go to the council yet, or None.

    Called with the locked version inside ``council.services.version_submit``,
    which refuses with ``code`` (planportal/errors.py) when there is a reason.
    """

    refusal: Callable[[PlanVersion], str | None]
    code: str = "transition_not_allowed"


@dataclass(frozen=True)
class VersionRecordChanged:
    """Told that what a frozen version's documents show has changed (its council decision).

    Called with ``(version)`` inside the transaction that changed it (by
    ``council.services`` when a decision is recorded or corrected, and
    through ``version_record_changed`` by ``monitoring.services.round_publish``
    for the version in force, whose PDF annex shows the published rounds). An
    approved version's stored PDF is otherwise never rendered again, so
    documents registers this to drop the stored files and have them made anew.
    """

    changed: Callable[[PlanVersion], None]
    order: int = 100


def version_record_changed(version: PlanVersion) -> None:
    """Tell the registered parts that what ``version``'s documents show changed
    (see ``VersionRecordChanged``), inside the caller's transaction."""
    for hook in registry.version_record_changed:
        hook.changed(version)


@dataclass(frozen=True)
class PersonalData:
    """What one part keeps about a person, for their data download and deletion.

    ``export(user=user)`` returns that part's JSON-serialisable share of the
    "download my data" file, under ``key``; ``erase(user=user)``, when given,
    runs inside the account's deletion before the user row goes (for what a
    cascade must not simply delete, such as public proposals).
    """

    key: str
    export: Callable[..., Any]
    erase: Callable[..., Any] | None = None
    order: int = 100


# The one zone of every moment in a personal-data export, whatever zone the
# request happens to have activated: a resident reading the file compares
# moments from every part of it.
EXPORT_TIME_ZONE = zoneinfo.ZoneInfo("Europe/Vilnius")


def export_datetime(value: datetime.datetime | None) -> str | None:
    """A moment in a personal-data export: ISO 8601 in Vilnius time with its offset
    (``2026-12-01T23:40:00+02:00``), or None."""
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value.astimezone(EXPORT_TIME_ZONE).isoformat()


@dataclass(frozen=True)
class StatusChange:
    """Told that a version's status changed, inside the transaction that changed it.

    Called with ``version=`` (its new ``status`` set) by every service that
    moves a version (council's submit, take back and decision, consultations'
    opening) through ``version_status_changed``; documents queues the new
    state's PDF. It must be quick and must not fail: it runs in the writer's
    transaction, and anything slow belongs on the worker's queue.
    """

    changed: Callable[..., None]
    order: int = 100


def version_status_changed(version: PlanVersion) -> None:
    """Tell the registered parts that ``version`` has a new status (see ``StatusChange``)."""
    for hook in registry.status_changes:
        hook.changed(version=version)


@dataclass(frozen=True)
class ReportSection:
    """A section of the yearly implementation report that another part writes.

    ``build(plan=plan, year=year, version=version)`` returns the section's
    JSON-serialisable content for that year (it is frozen into the report's
    snapshot at submission, so it must hold plain values: strings, numbers,
    lists and dicts, decimals as strings), or None when the part has nothing
    for this plan and year (no section then). ``template`` renders it on the
    report page and in the PDF with ``section`` (that content) and
    ``report`` in its context; it must read nothing but them.
    """

    key: str
    title: Any  # a lazily translated string
    build: Callable[..., dict | None]
    template: str
    order: int = 100


@dataclass(frozen=True)
class ReportPanel:
    """HTML shown under one section of a yearly report's page (``""`` for nothing).

    Called with ``(request, report, section)``, ``section`` being the
    section's name (``summary``, ``priority:<key>``, ``goal:<key>``, or a
    ``ReportSection``'s key); review shows its threads there, council the
    report's voting under the summary.
    """

    render: Callable[[HttpRequest, Any, str], str]
    order: int = 100


@dataclass(frozen=True)
class ReportSubmitted:
    """Told, inside ``reports.services.report_submit``'s transaction, that a
    yearly report went to the council (council tells its members)."""

    submitted: Callable[[Any], object]
    order: int = 100


def report_submitted(report: Any) -> None:
    for hook in registry.report_submitted:
        hook.submitted(report)


@dataclass(frozen=True)
class ProfileSection:
    """A section of a resident's "My account" page that another part owns
    (``""`` for none): consultations' setting for letters about answers.

    Called with ``(request)``; the HTML is one ``<section>`` whose form posts
    to the owning part's own address, so accounts knows nothing of it.
    """

    render: Callable[[HttpRequest], str]
    order: int = 100


@dataclass(frozen=True)
class DemoStep:
    """One app's part of ``manage.py load_demo``, run after the plan's own."""

    load: Callable[[Any], None]
    order: int = 100


@dataclass(frozen=True)
class WorkEntry:
    """One thing to do on the work page: what it is, where to do it, a detail."""

    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class WorkSection:
    """A part of someone's work on their work page (accounts, /accounts/work/).

    ``count`` is how many things wait (it may exceed the ``entries`` shown);
    ``link`` leads to the page that lists them all, ``empty`` says that
    nothing waits.
    """

    key: str
    title: str
    count: int
    entries: tuple[WorkEntry, ...] = ()
    link: str = ""
    link_label: str = ""
    empty: str = ""


@dataclass(frozen=True)
class WorkItems:
    """What one part asks of a person: its sections of their work page.

    ``sections(user=user)`` returns the sections (usually one) that part has
    for ``user``, read through that part's permission-scoped selectors, in a
    fixed number of queries however many items wait; an empty list when the
    part asks nothing of them (a resident, a council member for staff work).
    A signed-in person no part asks anything of has no work page.
    """

    sections: Callable[..., list[WorkSection]]
    order: int = 100


def work_sections(user: Any) -> list[WorkSection]:
    """Every registered part's sections of ``user``'s work, in the hooks' order."""
    return [section for hook in registry.work_items for section in hook.sections(user=user)]


@dataclass
class _Registry:
    version_panels: list[VersionPanel] = field(default_factory=list)
    home_panels: list[HomePanel] = field(default_factory=list)
    version_actions: list[VersionAction] = field(default_factory=list)
    version_work_boxes: list[VersionWorkBox] = field(default_factory=list)
    node_panels: list[NodePanel] = field(default_factory=list)
    pdf_annexes: list[PdfAnnex] = field(default_factory=list)
    submit_guards: list[SubmitGuard] = field(default_factory=list)
    version_record_changed: list[VersionRecordChanged] = field(default_factory=list)
    personal_data: list[PersonalData] = field(default_factory=list)
    status_changes: list[StatusChange] = field(default_factory=list)
    demo_steps: list[DemoStep] = field(default_factory=list)
    report_sections: list[ReportSection] = field(default_factory=list)
    report_panels: list[ReportPanel] = field(default_factory=list)
    report_submitted: list[ReportSubmitted] = field(default_factory=list)
    work_items: list[WorkItems] = field(default_factory=list)
    profile_sections: list[ProfileSection] = field(default_factory=list)

    def register(
        self,
        hook: VersionPanel
        | HomePanel
        | VersionAction
        | VersionWorkBox
        | NodePanel
        | PdfAnnex
        | SubmitGuard
        | VersionRecordChanged
        | PersonalData
        | StatusChange
        | DemoStep
        | ReportSection
        | ReportPanel
        | ReportSubmitted
        | WorkItems
        | ProfileSection,
    ) -> None:
        # The buckets hold different hook types, which mypy joins to "object".
        bucket: list[Any] = {  # type: ignore[assignment]
            VersionPanel: self.version_panels,
            HomePanel: self.home_panels,
            VersionAction: self.version_actions,
            VersionWorkBox: self.version_work_boxes,
            NodePanel: self.node_panels,
            PdfAnnex: self.pdf_annexes,
            SubmitGuard: self.submit_guards,
            VersionRecordChanged: self.version_record_changed,
            PersonalData: self.personal_data,
            StatusChange: self.status_changes,
            DemoStep: self.demo_steps,
            ReportSection: self.report_sections,
            ReportPanel: self.report_panels,
            ReportSubmitted: self.report_submitted,
            WorkItems: self.work_items,
            ProfileSection: self.profile_sections,
        }[type(hook)]
        # AppConfig.ready() may run twice (a test's app registry reset); a
        # hook registered again must not show its panel twice.
        if hook not in bucket:
            bucket.append(hook)
            bucket.sort(key=lambda h: getattr(h, "order", 0))


registry = _Registry()
register = registry.register
