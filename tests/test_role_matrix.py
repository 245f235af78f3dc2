"""Every browser route × every role: who may read, who may write.

The table below must name every route of the portal (the last test fails when
a new route is added without a row), so that no view ships without its
permission being checked for each role. The REST API has its own table in
tests/api/test_permission_matrix.py.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from council.models import Voting
from plans.models import Indicator, Measure, Priority
from review.models import ReviewThread
from tests import factories

pytestmark = pytest.mark.django_db

# A unit member (monitoring.UnitMembership) is a resident account that enters
# its unit's monitoring data: a row that does not name the role expects for it
# what it expects for a resident (``expected_for``).
UNIT_MEMBER = "unit member"
ROLES = ["anonymous", "resident", UNIT_MEMBER, "council", "staff"]
LOGIN = "login"  # an anonymous reader is sent to the login page
OPEN = {role: 200 for role in ROLES}
STAFF_ONLY = {"anonymous": LOGIN, "resident": 403, "council": 403, "staff": 200}
INTERNAL = {"anonymous": LOGIN, "resident": 403, "council": 200, "staff": 200}
COUNCIL_ONLY = {"anonymous": LOGIN, "resident": 403, "council": 200, "staff": 403}
SIGNED_IN = {"anonymous": LOGIN, "resident": 200, "council": 200, "staff": 200}
SIGNED_IN_REDIRECTED = {"anonymous": LOGIN, "resident": 302, "council": 302, "staff": 302}
# Monitoring entry ("my items"): the members of a responsible unit and staff.
UNIT_AND_STAFF = {
    "anonymous": LOGIN,
    "resident": 403,
    UNIT_MEMBER: 200,
    "council": 403,
    "staff": 200,
}


def expected_for(expected, role):
    return expected.get(role, expected["resident"])


def _routes(approved, draft):
    measure = Measure.objects.filter(version=draft).first()
    priority = Priority.objects.filter(version=draft).first()
    indicator = Indicator.objects.filter(version=draft, measure__isnull=False).first()
    public_measure = Measure.objects.filter(version=approved).first()
    public_indicator = Indicator.objects.filter(version=approved).first()
    node = {"level": "measure", "pk": measure.pk}
    under_review = factories.VersionFactory(plan=approved.plan, status="council_review")
    voting = Voting.objects.create(version=under_review)
    review_node = {"version_id": draft.pk, "level": "measure", "node_id": measure.pk}
    thread = ReviewThread.objects.create(
        version=draft, level="measure", node_id=measure.pk, node_key=measure.key
    )
    development = factories.VersionFactory(
        plan=factories.PlanFactory(kind="development", numbering="digits"), status="approved"
    )
    return [
        # (route name, kwargs, expected GET outcome per role)
        ("home", {}, OPEN),
        ("healthz", {}, OPEN),
        ("login", {}, OPEN),
        ("plans:plan", {"plan_id": approved.plan_id}, OPEN),
        ("plans:version", {"version_id": approved.pk}, OPEN),
        ("plans:budget", {"version_id": approved.pk}, OPEN),
        ("plans:budget-csv", {"version_id": approved.pk}, OPEN),
        ("plans:budget-xlsx", {"version_id": approved.pk}, OPEN),
        ("monitoring_public:progress", {"plan_id": approved.plan_id}, OPEN),
        ("monitoring_public:progress-csv", {"plan_id": approved.plan_id}, OPEN),
        ("monitoring_public:progress-xlsx", {"plan_id": approved.plan_id}, OPEN),
        ("monitoring_public:progress-excel-csv", {"plan_id": approved.plan_id}, OPEN),
        ("plans:measure", {"version_id": approved.pk, "node_id": public_measure.pk}, OPEN),
        ("plans:priority", {"version_id": draft.pk, "node_id": priority.pk}, INTERNAL),
        ("plans:goal", {"version_id": draft.pk, "node_id": measure.task.goal_id}, INTERNAL),
        ("plans:task", {"version_id": draft.pk, "node_id": measure.task_id}, INTERNAL),
        ("plans:version", {"version_id": draft.pk}, INTERNAL),
        ("plans:budget", {"version_id": draft.pk}, INTERNAL),
        ("plans:budget-csv", {"version_id": draft.pk}, INTERNAL),
        ("plans:budget-xlsx", {"version_id": draft.pk}, INTERNAL),
        (
            "plans:indicator",
            {"version_id": approved.pk, "indicator_id": public_indicator.pk},
            OPEN,
        ),
        ("plans:indicator", {"version_id": draft.pk, "indicator_id": indicator.pk}, INTERNAL),
        ("plans:compare", {"version_id": approved.pk}, OPEN),
        ("plans:compare", {"version_id": draft.pk}, INTERNAL),
        ("plans:staff-dashboard", {}, STAFF_ONLY),
        ("plans:staff-plan-new", {}, STAFF_ONLY),
        ("plans:staff-draft-create", {"plan_id": approved.plan_id}, STAFF_ONLY),
        ("plans:staff-version-delete", {"version_id": draft.pk}, STAFF_ONLY),
        ("plans:staff-outline", {"version_id": draft.pk}, STAFF_ONLY),
        ("plans:staff-vision", {"version_id": draft.pk}, STAFF_ONLY),
        ("plans:staff-priority-add", {"version_id": draft.pk}, STAFF_ONLY),
        ("plans:staff-recent-changes", {"version_id": draft.pk}, STAFF_ONLY),
        ("plans:staff-node-edit", node, STAFF_ONLY),
        ("plans:staff-node-add", {"level": "task", "pk": measure.task_id}, STAFF_ONLY),
        ("plans:staff-node-move", node, STAFF_ONLY),
        ("plans:staff-node-delete", node, STAFF_ONLY),
        ("plans:staff-node-history", node, STAFF_ONLY),
        ("plans:staff-measure-funding", {"pk": measure.pk}, STAFF_ONLY),
        ("plans:staff-indicator-add", node, STAFF_ONLY),
        ("plans:staff-indicator-edit", {"pk": indicator.pk}, STAFF_ONLY),
        ("plans:staff-indicator-delete", {"pk": indicator.pk}, STAFF_ONLY),
        # The plan as an XLSX workbook (plans/spreadsheets): to whoever may read
        # the version; importing one and the blank workbooks for staff.
        ("plans:version-xlsx", {"version_id": approved.pk}, OPEN),
        ("plans:version-xlsx", {"version_id": draft.pk}, INTERNAL),
        ("plans:staff-xlsx-import", {"plan_id": approved.plan_id}, STAFF_ONLY),
        ("plans:staff-xlsx-templates", {}, STAFF_ONLY),
        ("plans:staff-xlsx-template", {"kind": "action"}, STAFF_ONLY),
        # What the action plans leave unimplemented of a development plan's version.
        ("plans:staff-unimplemented", {"version_id": development.pk}, STAFF_ONLY),
        # Council review and votes (council/urls.py).
        ("council:history", {"plan_id": approved.plan_id}, OPEN),
        ("council:dashboard", {}, INTERNAL),
        ("council:voting", {"voting_id": voting.pk}, INTERNAL),
        ("council:ballot", {"voting_id": voting.pk}, COUNCIL_ONLY),
        ("council:voting-close", {"voting_id": voting.pk}, STAFF_ONLY),
        ("council:submit", {"version_id": draft.pk}, STAFF_ONLY),
        ("council:withdraw", {"version_id": under_review.pk}, STAFF_ONLY),
        ("council:voting-open", {"version_id": under_review.pk}, STAFF_ONLY),
        ("council:decision", {"version_id": approved.pk}, STAFF_ONLY),
        # Review comments (review/urls.py): forms reached by POST only,
        # except the list.
        ("review:threads", {"version_id": draft.pk}, INTERNAL),
        ("review:comment-add", review_node, INTERNAL),
        ("review:thread-reply", {"thread_id": thread.pk}, INTERNAL),
        ("review:thread-resolve", {"thread_id": thread.pk}, STAFF_ONLY),
        ("review:thread-reopen", {"thread_id": thread.pk}, STAFF_ONLY),
        # The plan as a PDF (issue 6; documents/views.py): the "being prepared"
        # page (202) to whoever may read it, as no request renders (issue 11).
        ("documents:version-pdf", {"version_id": approved.pk}, {role: 202 for role in ROLES}),
        (
            "documents:version-pdf",
            {"version_id": draft.pk},
            {**INTERNAL, "council": 202, "staff": 202},
        ),
        # Everyone's own notifications (notifications/urls.py).
        ("notifications:list", {}, SIGNED_IN),
        ("notifications:read", {"notification_id": 1}, SIGNED_IN),
        ("notifications:read-all", {}, SIGNED_IN),
        *_consultation_routes(approved, draft),
        *_climate_routes(),
        *_monitoring_routes(approved),
        *_report_compare_routes(approved),
        *_report_council_routes(approved),
        *_report_pdf_routes(approved),
        *_report_routes(approved),
        # Residents' accounts (accounts/urls.py). Registration sends a signed-in
        # user on to their account; a made-up confirmation link is refused
        # with 400 for everyone (the owner must be signed in for an e-mail change).
        (
            "accounts:register",
            {},
            {"anonymous": 200, "resident": 302, "council": 302, "staff": 302},
        ),
        ("accounts:register-done", {}, OPEN),
        ("accounts:resend", {}, OPEN),
        ("accounts:confirm", {"token": "made-up"}, {role: 400 for role in ROLES}),
        ("accounts:profile", {}, SIGNED_IN),
        ("accounts:email-change", {}, SIGNED_IN),
        (
            "accounts:email-confirm",
            {"token": "made-up"},
            {"anonymous": LOGIN, "resident": 400, "council": 400, "staff": 400},
        ),
        ("accounts:data", {}, SIGNED_IN),
        ("accounts:delete", {}, SIGNED_IN),  # staff and council see why they cannot
        ("accounts:deleted", {}, OPEN),
        ("accounts:privacy", {}, OPEN),
        # The work page: residents with nothing to do go on to the home page.
        (
            "accounts:work",
            {},
            {"anonymous": LOGIN, "resident": 302, UNIT_MEMBER: 200, "council": 200, "staff": 200},
        ),
        ("accounts:password-change", {}, SIGNED_IN),
        ("accounts:password-reset", {}, OPEN),
        ("accounts:password-reset-done", {}, OPEN),
        ("accounts:password-reset-confirm", {"uidb64": "MQ", "token": "made-up"}, OPEN),
        ("accounts:password-reset-complete", {}, OPEN),
        # Sign-in and security (accounts/security_views.py). Without two-factor
        # sign-in on, the pages that manage it send the reader back (302); the
        # code page sends on a session that owes no code.
        ("accounts:security", {}, SIGNED_IN),
        ("accounts:two-factor-setup", {}, SIGNED_IN),
        ("accounts:two-factor-verify", {}, SIGNED_IN_REDIRECTED),
        ("accounts:two-factor-disable", {}, SIGNED_IN_REDIRECTED),
        ("accounts:recovery-codes", {}, SIGNED_IN_REDIRECTED),
        ("accounts:sign-out-everywhere", {}, SIGNED_IN),
        ("accounts:token-revoke", {"token_key": "made-up"}, SIGNED_IN),  # POST only: 405
    ]


# --- Public consultations (consultations/urls.py) ------------------------------------
# Only a proposal's author may edit or withdraw it; nobody in the table is.
AUTHOR_ONLY = {"anonymous": LOGIN, "resident": 403, "council": 403, "staff": 403}
# API actions of consultations (tests/api/test_permission_matrix.py,
# tests/api/test_consultations_api.py).
CONSULTATION_API_ROUTES = {
    "consultation-proposals",
    "consultation-outcome",
    "consultation-publish-answers",
    "proposal-mine",
    "proposal-withdraw",
    "proposal-support",
    "proposal-report",
    "proposal-response",
    "proposal-publish",
    "proposal-hide",
    "proposal-unhide",
}


def _consultation_routes(approved, draft):
    import datetime

    from django.utils import timezone

    from consultations.models import Consultation, Proposal

    version = factories.VersionFactory(status="consultation")
    now = timezone.now()
    consultation = Consultation.objects.create(
        version=version,
        title="Aptarimas",
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now + datetime.timedelta(days=9),
    )
    author = factories.UserFactory()
    proposal = Proposal.objects.create(
        consultation=consultation, author=author, text="Pasiūlymas lentelei", public_number=1
    )
    one = {"consultation_id": consultation.pk}
    mine = {"proposal_id": proposal.pk}
    return [
        ("consultations:index", {}, OPEN),
        ("consultations:detail", one, OPEN),
        ("consultations:proposal", {**one, "number": proposal.public_number}, OPEN),
        ("consultations:outcome", one, OPEN),
        ("consultations:outcome-csv", one, OPEN),
        ("consultations:outcome-xlsx", one, OPEN),
        ("consultations:outcome-excel-csv", one, OPEN),
        ("consultations:propose", one, SIGNED_IN),
        ("consultations:mine", {}, SIGNED_IN),
        ("consultations:proposal-edit", mine, AUTHOR_ONLY),
        ("consultations:proposal-withdraw", mine, AUTHOR_ONLY),
        ("consultations:proposal-support", mine, SIGNED_IN),
        ("consultations:proposal-report", mine, SIGNED_IN),
        ("consultations:staff", {}, STAFF_ONLY),
        ("consultations:staff-open", {"version_id": draft.pk}, STAFF_ONLY),
        ("consultations:staff-detail", one, STAFF_ONLY),
        ("consultations:staff-publish", one, STAFF_ONLY),
        ("consultations:staff-proposal", mine, STAFF_ONLY),
        ("consultations:answer-letters", {}, SIGNED_IN),  # POST only: 405
    ]


# --- Climate: inventories and the action plan (climate/urls.py) ----------------------
# Reads of a published inventory are public (a draft's are staff's: a 404 for
# the others, tests/climate/test_publish.py); every staff page and form is for
# administration staff. API actions of the climate API (tests/api/test_permission_matrix.py,
# tests/api/test_climate_api.py).
CLIMATE_API_ROUTES = {
    "climate-inventory-consumption",
    "climate-inventory-publish",
    "climate-inventory-factors",
    "climate-measure-progress",
    "climate-target",
}


def _climate_routes():
    from decimal import Decimal

    from climate.models import Inventory, SeapMeasure

    inventory = Inventory.objects.create(
        kind="baseline", year=2012, population=1000, status="published"
    )
    inventory.consumption.create(sector="residential", carrier="heat", mwh=Decimal("10"))
    seap = SeapMeasure.objects.create(
        title="LED", sector="public_lighting", start_year=2015, end_year=2019
    )
    one = {"inventory_id": inventory.pk}
    return [
        ("climate:index", {}, OPEN),
        ("climate:inventory", one, OPEN),
        ("climate:inventory-csv", one, OPEN),
        ("climate:inventory-excel-csv", one, OPEN),
        ("climate:measures", {}, OPEN),
        ("climate:staff-index", {}, STAFF_ONLY),
        ("climate:staff-inventory-create", {}, STAFF_ONLY),
        ("climate:staff-target", {}, STAFF_ONLY),
        ("climate:staff-inventory", one, STAFF_ONLY),
        ("climate:staff-inventory-import", one, STAFF_ONLY),
        ("climate:staff-inventory-extras", one, STAFF_ONLY),
        ("climate:staff-inventory-publish", one, STAFF_ONLY),
        ("climate:staff-inventory-delete", one, STAFF_ONLY),
        ("climate:staff-factors", {}, STAFF_ONLY),
        ("climate:staff-measures", {}, STAFF_ONLY),
        ("climate:staff-measure-create", {}, STAFF_ONLY),
        ("climate:staff-measure-edit", {"measure_id": seap.pk}, STAFF_ONLY),
        ("climate:staff-measure-delete", {"measure_id": seap.pk}, STAFF_ONLY),
        ("climate:staff-measure-progress", {"measure_id": seap.pk}, STAFF_ONLY),
    ]


# --- Monitoring (monitoring/urls.py, monitoring/urls_spreadsheets.py) -----------------
# The coordinator's pages are staff's; "my items", an item's entry form, its
# comments and the round's workbook are for the unit members (the matrix's one
# is a member of the unit responsible for every measure) and staff.
MONITORING_XLSX_API_ROUTES = {"round-workbook", "round-workbook-import"}


def _monitoring_routes(approved):
    import datetime

    from monitoring import services
    from monitoring.models import ItemComment

    staff = factories.UserFactory(username="matrix-staff", role="staff")
    round_ = services.round_open(
        user=staff, plan=approved.plan, year=2020, due=datetime.date(2021, 2, 15)
    )
    measure = Measure.objects.filter(version=approved).first()
    item = {"round_id": round_.pk, "kind": "measure", "key": measure.key}
    comment = ItemComment.objects.create(
        round=round_, item_kind="measure", item_key=measure.key, text="?", is_question=True
    )
    return [
        ("monitoring:plan-rounds", {"plan_id": approved.plan_id}, STAFF_ONLY),
        ("monitoring:round", {"round_id": round_.pk}, STAFF_ONLY),
        ("monitoring:round-publish", {"round_id": round_.pk}, STAFF_ONLY),
        ("monitoring:members", {}, STAFF_ONLY),
        ("monitoring:unit-members", {"unit_id": measure.responsible_unit_id}, STAFF_ONLY),
        ("monitoring:my-items", {}, UNIT_AND_STAFF),
        ("monitoring:item", item, UNIT_AND_STAFF),
        ("monitoring:comment-add", item, UNIT_AND_STAFF),  # POST only: 405
        ("monitoring:milestones", item, UNIT_AND_STAFF),  # POST only: 405
        ("monitoring:comment-resolve", {"comment_id": comment.pk}, STAFF_ONLY),
        ("monitoring_xlsx:round-xlsx", {"round_id": round_.pk}, UNIT_AND_STAFF),
        ("monitoring_xlsx:round-import", {"round_id": round_.pk}, UNIT_AND_STAFF),
    ]


# --- Yearly reports compared, a report's XLSX annex (reports/urls_compare.py) ----------
# To whoever may read the reports: approved ones for everyone, a draft's
# annex for staff only (404 for the others, as for the report itself).
HIDDEN_FROM_ALL_BUT_STAFF = {"anonymous": 404, "resident": 404, "council": 404, "staff": 200}
REPORT_XLSX_API_ROUTES = {"report-xlsx"}


def _report_compare_routes(approved):
    from tests.reports.compare_fixtures import make_report, publish_round

    # The years before the monitoring rows' open round of 2020; no new nodes,
    # which the write test counts.
    staff = factories.UserFactory(username="matrix-report-staff", role="staff")
    plan = approved.plan
    for year in (2017, 2018, 2019):
        publish_round(staff, plan, year, actual=str(year - 2000), status="in_progress", spent="1")
    make_report(staff, plan, 2017)
    approved_report = make_report(staff, plan, 2018)
    draft = make_report(staff, plan, 2019, approve=False)
    return [
        ("reports_compare:compare", {"plan_id": plan.pk}, OPEN),
        ("reports_compare:report-xlsx", {"report_id": approved_report.pk}, OPEN),
        ("reports_compare:report-xlsx", {"report_id": draft.pk}, HIDDEN_FROM_ALL_BUT_STAFF),
    ]


# --- The council's part of the yearly reports (council/urls.py, review/urls.py) -----------
# Forms reached by POST only: staff open a voting on a report; staff and council
# comment on its sections (council only on what they may read: a report under review).


def _report_council_routes(approved):
    from monitoring.models import MonitoringRound
    from reports.models import Report

    # 2015: the other report rows take the years around it of the same plan.
    round_ = MonitoringRound.objects.create(plan=approved.plan, year=2015, due="2016-02-15")
    report = Report.objects.create(plan=approved.plan, year=2015, version=approved, round=round_)
    one = {"report_id": report.pk}
    return [
        ("council:report-voting-open", one, STAFF_ONLY),  # POST only: 405
        ("review:report-comment-add", one, INTERNAL),  # POST only: 405
    ]


# --- The yearly report as a PDF (reports/urls_pdf.py) --------------------------------
# "Being prepared" (202) to whoever may read the report, 404 to anyone else
# (a draft's existence is not revealed): drafts are staff's, a report under
# review the council's too, approved reports everyone's.
REPORT_DRAFT = {"anonymous": 404, "resident": 404, "council": 404, "staff": 202}
REPORT_UNDER_REVIEW = {"anonymous": 404, "resident": 404, "council": 202, "staff": 202}


def _report_pdf_routes(approved):
    import datetime

    from django.utils import timezone

    from monitoring.models import MonitoringRound
    from reports.models import Report

    def report(year, status, **fields):
        round_ = MonitoringRound.objects.create(
            plan=approved.plan, year=year, due=datetime.date(year + 1, 2, 15)
        )
        return Report.objects.create(
            plan=approved.plan, year=year, version=approved, round=round_, status=status, **fields
        )

    frozen = {"snapshot": {"schema": 1, "priorities": [], "summary": {}, "sections": {}}}
    # 2010–2012: the other report rows take 2013–2019 of the same plan.
    approved_report = report(2010, "approved", approved_at=timezone.now(), **frozen)
    under_review = report(2011, "council_review", **frozen)
    draft = report(2012, "draft")
    return [
        ("reports_pdf:report-pdf", {"report_id": approved_report.pk}, {r: 202 for r in ROLES}),
        ("reports_pdf:report-pdf", {"report_id": under_review.pk}, REPORT_UNDER_REVIEW),
        ("reports_pdf:report-pdf", {"report_id": draft.pk}, REPORT_DRAFT),
    ]


# --- Yearly implementation reports (reports/urls.py) ---------------------------------
# A report is read by whoever may see its status (the public: approved; the
# council: under review too; staff: drafts too); others get 404, which does
# not reveal a draft. Writing texts and every step are staff's.
NOT_FOUND_UNLESS_STAFF = {"anonymous": 404, "resident": 404, "council": 404, "staff": 200}
NOT_FOUND_UNLESS_INTERNAL = {"anonymous": 404, "resident": 404, "council": 200, "staff": 200}


def _report_routes(approved):
    import datetime

    from monitoring import services as monitoring
    from reports import services

    # 2013 and 2014: the other report rows take the other years of the same plan.
    staff = factories.UserFactory(username="matrix-report-pages-staff", role="staff")
    plan = approved.plan
    for year in (2013, 2014):
        round_ = monitoring.round_open(
            user=staff, plan=plan, year=year, due=datetime.date(year + 1, 2, 15)
        )
        monitoring.round_publish(user=staff, round=round_)
    under_review = services.report_submit(
        user=staff, report=services.report_create(user=staff, plan=plan, year=2013)
    )
    approved_report = services.report_submit(
        user=staff, report=services.report_create(user=staff, plan=plan, year=2014)
    )
    services.report_approve(
        user=staff,
        report=approved_report,
        decision_number="TS-9",
        decision_date=datetime.date(2015, 4, 1),
    )
    draft = services.report_revise(user=staff, report=approved_report, reason="Pataisa")
    return [
        ("reports:plan-reports", {"plan_id": plan.pk}, OPEN),
        ("reports:create", {"plan_id": plan.pk}, STAFF_ONLY),
        ("reports:report", {"report_id": approved_report.pk}, OPEN),
        ("reports:report", {"report_id": under_review.pk}, NOT_FOUND_UNLESS_INTERNAL),
        ("reports:report", {"report_id": draft.pk}, NOT_FOUND_UNLESS_STAFF),
        ("reports:narrative", {"report_id": draft.pk, "section": "summary"}, STAFF_ONLY),
        ("reports:submit", {"report_id": draft.pk}, STAFF_ONLY),
        ("reports:withdraw", {"report_id": under_review.pk}, STAFF_ONLY),
        ("reports:approve", {"report_id": under_review.pk}, STAFF_ONLY),
        ("reports:decision", {"report_id": approved_report.pk}, STAFF_ONLY),
        ("reports:revise", {"report_id": approved_report.pk}, STAFF_ONLY),
    ]


# Routes that are not pages: they act and redirect, for everyone alike.
NOT_PAGES = {"logout", "set_language", "javascript-catalog", "api-token", "api-schema", "api-docs"}
# The API's own tokens (tests/accounts/test_api_tokens.py checks who sees which).
AUTH_API_ROUTES = {"api-tokens", "api-token-revoke"}
# API actions of council review (tests/api/test_permission_matrix.py and
# tests/api/test_review_api.py check them).
REVIEW_API_ROUTES = {
    "version-submit",
    "version-withdraw",
    "version-decision",
    "voting-ballots",
    "voting-close",
}
# The reports API's actions (tests/api/test_permission_matrix.py checks them).
REPORT_API_ROUTES = {
    "plan-reports",
    "report-approve",
    "report-decision",
    "report-narrative",
    "report-revise",
    "report-submit",
    "report-withdraw",
}
# The PDF of a version in the API (tests/api/test_permission_matrix.py).
PDF_API_ROUTES = {"version-pdf", "report-pdf"}
# The monitoring API (tests/api/test_permission_matrix.py and tests/monitoring/test_api.py).
MONITORING_API_ROUTES = {
    "plan-rounds",
    "round-publish",
    "round-items",
    "indicator-actuals",
    "indicator-actual",
    "measure-implementations",
    "measure-implementation",
    "version-progress",
    "measure-milestones",
    "milestone",
}
# The XLSX download and import (tests/plans/test_spreadsheets.py checks their roles).
XLSX_API_ROUTES = {"version-xlsx", "plan-import-workbook"}


@pytest.fixture
def clients(db):
    from monitoring.models import UnitMembership

    result = {"anonymous": Client()}
    for role, kwargs in {
        "resident": {},
        UNIT_MEMBER: {},
        "council": {"role": "council"},
        "staff": {"role": "staff"},
    }.items():
        client = Client()
        user = factories.UserFactory(username=f"matrix-{role.replace(' ', '-')}", **kwargs)
        if role == UNIT_MEMBER:
            # The unit responsible for every measure of the test plans.
            UnitMembership.objects.create(
                unit=factories.UnitFactory(name="Statybos skyrius"), user=user
            )
        client.force_login(user)
        result[role] = client
    return result


def _outcome(response):
    if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_every_page_answers_each_role_as_the_table_says(
    clients, approved_version, draft_version, role
):
    wrong = []
    for name, kwargs, expected in _routes(approved_version, draft_version):
        url = reverse(name, kwargs=kwargs)
        got = _outcome(clients[role].get(url))
        want = expected_for(expected, role)
        # Some staff routes are forms reached by POST only (405 on GET for staff).
        if got != want and not (want == 200 and got == 405):
            wrong.append(f"GET {url}: {got}, expected {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ["anonymous", "resident", UNIT_MEMBER, "council"])
def test_no_staff_route_accepts_a_write_from_another_role(
    clients, approved_version, draft_version, role
):
    before = (Measure.objects.count(), Priority.objects.count(), Indicator.objects.count())
    wrong = []
    for name, kwargs, expected in _routes(approved_version, draft_version):
        if expected is not STAFF_ONLY and not (expected is UNIT_AND_STAFF and role != UNIT_MEMBER):
            continue
        url = reverse(name, kwargs=kwargs)
        response = clients[role].post(
            url, {"title": "X", "position": "1", "confirm": "1", "vision": "X"}
        )
        got = _outcome(response)
        if got not in (LOGIN, 403):
            wrong.append(f"POST {url}: {got}")
    assert not wrong, "\n".join(wrong)
    assert (Measure.objects.count(), Priority.objects.count(), Indicator.objects.count()) == before


def test_the_table_names_every_route(approved_version, draft_version):
    named = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                named.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns)
    api_routes = {
        name
        for name in named
        if name.endswith(("-list", "-detail", "-tree", "-diff", "-versions", "-root"))
    }
    covered = {name for name, _kwargs, _expected in _routes(approved_version, draft_version)}
    missing = (
        named
        - covered
        - NOT_PAGES
        - api_routes
        - REVIEW_API_ROUTES
        - PDF_API_ROUTES
        - XLSX_API_ROUTES
        - CONSULTATION_API_ROUTES
        - CLIMATE_API_ROUTES
        - MONITORING_XLSX_API_ROUTES
        - MONITORING_API_ROUTES
        - AUTH_API_ROUTES
        - REPORT_XLSX_API_ROUTES
        - REPORT_API_ROUTES
    )
    assert not missing, f"routes without a row in the role matrix: {sorted(missing)}"
