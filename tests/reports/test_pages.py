"""The report pages: the plan's list, the report page, the editor and staff's steps."""

import datetime
import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from monitoring import services as monitoring
from monitoring.models import ActualValue, MeasureImplementation
from planportal.extensions import ReportPanel, ReportSection, registry
from plans.models import Goal, Indicator, Measure, Priority, VersionStatus
from reports import services
from reports.models import Report, ReportEvent, ReportStatus
from tests import factories
from tests.conftest import build_plan_tree

pytestmark = pytest.mark.django_db


def page_of(client, report):
    response = client.get(f"/reports/{report.pk}/")
    assert response.status_code == 200
    return response.content.decode()


# --- The plan's list -------------------------------------------------------------------


def test_the_public_list_shows_approved_reports_only(client, approved_report, staff_user):
    plan = approved_report.plan
    draft = services.report_revise(user=staff_user, report=approved_report, reason="Klaida")
    page = client.get(f"/plans/{plan.pk}/reports/").content.decode()
    assert f'id="report-{approved_report.pk}"' in page
    assert f'id="report-{draft.pk}"' not in page
    assert "TS-12" in page and "make-report-" not in page


def test_council_sees_reports_under_review_but_not_drafts(
    council_client, submitted_report, published_round, staff_user
):
    page = council_client.get(f"/plans/{submitted_report.plan_id}/reports/").content.decode()
    assert f'id="report-{submitted_report.pk}"' in page


def test_staff_get_a_button_for_each_round_without_a_report(
    staff_client, published_round, staff_user
):
    plan = published_round.plan
    monitoring.round_open(user=staff_user, plan=plan, year=2019, due=datetime.date(2020, 2, 1))
    page = staff_client.get(f"/plans/{plan.pk}/reports/").content.decode()
    assert "make-report-2020" in page and "make-report-2019" in page
    response = staff_client.post(f"/plans/{plan.pk}/reports/new/", {"year": "2020"})
    report = Report.objects.get(plan=plan, year=2020)
    assert response.status_code == 302 and response["Location"] == f"/reports/{report.pk}/"
    page = staff_client.get(f"/plans/{plan.pk}/reports/").content.decode()
    assert "make-report-2020" not in page and f'id="report-{report.pk}"' in page


def test_a_year_without_a_round_is_refused_with_400_and_nothing_made(staff_client, published_round):
    plan = published_round.plan
    response = staff_client.post(f"/plans/{plan.pk}/reports/new/", {"year": "2017"})
    assert response.status_code == 400
    assert not Report.objects.exists()
    assert staff_client.get(f"/plans/{plan.pk}/reports/new/").status_code == 200


def test_an_unknown_plan_is_404(client):
    assert client.get("/plans/999999/reports/").status_code == 404


# --- The report page -------------------------------------------------------------------


def test_a_draft_is_not_found_by_the_public_nor_the_council(client, council_client, draft_report):
    assert client.get(f"/reports/{draft_report.pk}/").status_code == 404
    assert council_client.get(f"/reports/{draft_report.pk}/").status_code == 404


def test_the_page_shows_the_summary_tables_and_each_goals_figures(
    client, approved_report, approved_version
):
    page = page_of(client, approved_report)
    assert 'id="summary-priorities"' in page and 'id="money-priorities"' in page
    assert 'data-count="delayed">1<' in page
    total = Measure.objects.filter(version=approved_version).count()
    assert f'data-count="total">{total}<' in page
    for goal in Goal.objects.filter(version=approved_version):
        assert f'id="goal-{goal.key}"' in page
    indicator = Indicator.objects.filter(version=approved_version, measure__isnull=False).first()
    row = re.search(rf'<tr data-indicator="{indicator.key}">.*?</tr>', page, re.S).group(0)
    assert "15" in row
    assert f'id="chart-report-chart-{indicator.key}"' in page or (
        f"report-chart-{indicator.key}" in page
    )
    # The delayed measure's reason is shown beside it.
    assert "Užsitęsė pirkimas" in page
    assert "TS-12" in page and 'id="report-state"' in page


def test_the_draft_banner_and_the_staff_steps(staff_client, draft_report):
    page = page_of(staff_client, draft_report)
    assert "report-state-draft" in page and 'id="report-submit"' in page
    assert f"/reports/{draft_report.pk}/narratives/summary/" in page
    assert 'id="report-withdraw"' not in page


def test_the_public_sees_no_steps_and_no_editor_links(client, approved_report):
    page = page_of(client, approved_report)
    assert "report-steps" not in page and "/narratives/" not in page


def test_an_approved_report_shows_its_frozen_figures_after_the_data_changed(
    client, approved_report, staff_user
):
    indicator = Indicator.objects.filter(
        version=approved_report.version, measure__isnull=False
    ).first()
    # A correction of the year's actual value, as a data fix would write it.
    ActualValue._base_manager.filter(indicator_key=indicator.key, year=2020).update(value="99")
    page = page_of(client, approved_report)
    row = re.search(rf'<tr data-indicator="{indicator.key}">(.*?)</tr>', page, re.S).group(1)
    # The actual value's cell only: the key and the name may hold "99" themselves.
    actual = re.search(r'class="[^"]*indicator-actual[^"]*"[^>]*>(.*?)</td>', row, re.S).group(1)
    assert "99" not in actual and "15" in actual


def test_a_panel_hook_renders_under_each_section(client, approved_report, monkeypatch):
    seen = []

    def render(request, report, section):
        seen.append(section)
        return f'<p class="test-panel">{section}</p>'

    monkeypatch.setattr(registry, "report_panels", [ReportPanel(render=render)])
    page = page_of(client, approved_report)
    priorities = Priority.objects.filter(version=approved_report.version).count()
    goals = Goal.objects.filter(version=approved_report.version).count()
    assert seen[0] == "summary" and len(seen) == 1 + priorities + goals
    assert page.count('class="test-panel"') == len(seen)


def test_a_superseded_report_links_to_its_correction(
    client, approved_report, staff_user, django_capture_on_commit_callbacks
):
    draft = services.report_revise(user=staff_user, report=approved_report, reason="Klaida")
    services.report_submit(user=staff_user, report=draft)
    services.report_approve(
        user=staff_user,
        report=draft,
        decision_number="TS-20",
        decision_date=datetime.date(2021, 5, 20),
    )
    page = page_of(client, approved_report)
    assert f'href="/reports/{draft.pk}/" id="current-revision"' in page
    assert 'id="revision-reason"' in page_of(client, draft)


# --- The narrative editor --------------------------------------------------------------


def test_staff_write_a_narrative_with_a_list_and_it_is_shown_sanitised(staff_client, draft_report):
    priority = Priority.objects.filter(version=draft_report.version).first()
    url = f"/reports/{draft_report.pk}/narratives/priority:{priority.key}/"
    assert staff_client.get(url).status_code == 200
    text = "Pirmoji pastraipa.\n\n- vienas\n- du\n\n<script>alert(1)</script>"
    response = staff_client.post(url, {"text": text})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#priority-{priority.key}")
    page = page_of(staff_client, draft_report)
    assert "<li>vienas</li>" in page and "<script>alert(1)" not in page
    # The editor gives the text back in its notation.
    assert "- vienas" in staff_client.get(url).content.decode()


def test_an_unknown_section_is_404(staff_client, draft_report):
    url = f"/reports/{draft_report.pk}/narratives/goal:nope/"
    assert staff_client.get(url).status_code == 404


def test_a_submitted_reports_text_is_refused_with_409(staff_client, submitted_report):
    url = f"/reports/{submitted_report.pk}/narratives/summary/"
    page = staff_client.get(url).content.decode()
    assert 'id="narrative-frozen"' in page
    response = staff_client.post(url, {"text": "Naujas"})
    assert response.status_code == 409
    assert 'id="form-errors"' in response.content.decode()
    assert not submitted_report.narratives.exists()


# --- Staff's steps ---------------------------------------------------------------------


def test_submitting_a_draft_freezes_it(staff_client, draft_report):
    response = staff_client.post(f"/reports/{draft_report.pk}/submit/")
    assert response.status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.status == ReportStatus.COUNCIL_REVIEW and draft_report.snapshot


def test_submitting_before_the_round_is_published_is_refused_with_409(
    staff_client, approved_version, staff_user
):
    monitoring.round_open(
        user=staff_user, plan=approved_version.plan, year=2020, due=datetime.date(2021, 2, 1)
    )
    report = services.report_create(user=staff_user, plan=approved_version.plan, year=2020)
    response = staff_client.post(f"/reports/{report.pk}/submit/")
    assert response.status_code == 409
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "round_not_published")
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_taking_back_needs_a_reason(staff_client, submitted_report):
    url = f"/reports/{submitted_report.pk}/withdraw/"
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"reason": ""}).status_code == 400
    assert staff_client.post(url, {"reason": "Trūksta teksto"}).status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.DRAFT
    event = submitted_report.events.get(kind=ReportEvent.Kind.WITHDRAWN)
    assert event.reason == "Trūksta teksto"


def test_recording_the_sessions_approval(staff_client, submitted_report):
    url = f"/reports/{submitted_report.pk}/approve/"
    bad = staff_client.post(url, {"decision_number": "TS-1", "decision_date": "2019-01-01"})
    assert bad.status_code == 400
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.COUNCIL_REVIEW
    response = staff_client.post(url, {"decision_number": "TS-7", "decision_date": "2021-03-30"})
    assert response.status_code == 302
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.APPROVED
    assert submitted_report.decision_number == "TS-7"


def test_approving_a_draft_is_refused_with_409(staff_client, draft_report):
    url = f"/reports/{draft_report.pk}/approve/"
    response = staff_client.post(url, {"decision_number": "TS-7", "decision_date": "2021-03-30"})
    assert response.status_code == 409


def test_correcting_the_decision_asks_for_a_reason(staff_client, approved_report):
    url = f"/reports/{approved_report.pk}/decision/"
    page = staff_client.get(url).content.decode()
    assert 'id="recorded-decision"' in page and 'name="reason"' in page
    data = {"decision_number": "TS-13", "decision_date": "2021-04-29"}
    assert staff_client.post(url, data).status_code == 400
    assert staff_client.post(url, {**data, "reason": "Rašymo klaida"}).status_code == 302
    approved_report.refresh_from_db()
    assert approved_report.decision_number == "TS-13"


def test_a_corrected_revision_opens_as_a_new_draft(staff_client, approved_report):
    url = f"/reports/{approved_report.pk}/revise/"
    response = staff_client.post(url, {"reason": "Pataisyti duomenys"})
    draft = Report.objects.get(replaces=approved_report)
    assert response.status_code == 302 and response["Location"] == f"/reports/{draft.pk}/"
    assert draft.status == ReportStatus.DRAFT and draft.revision == 2
    again = staff_client.post(url, {"reason": "Dar kartą"})
    assert again.status_code == 409


def test_other_roles_cannot_take_a_step(client, council_client, resident_client, draft_report):
    for reader in (council_client, resident_client):
        assert reader.post(f"/reports/{draft_report.pk}/submit/").status_code == 403
    assert client.post(f"/reports/{draft_report.pk}/submit/").status_code == 302
    draft_report.refresh_from_db()
    assert draft_report.status == ReportStatus.DRAFT


# --- Links and query counts ------------------------------------------------------------


def test_the_progress_page_and_the_version_page_link_to_the_reports(client, approved_version):
    url = f"/plans/{approved_version.plan_id}/reports/"
    assert url in client.get(f"/plans/{approved_version.plan_id}/progress/").content.decode()
    assert url in client.get(f"/versions/{approved_version.pk}/").content.decode()


def _plan_with_report(size, staff, *, approve):
    version = factories.VersionFactory(number=1)
    build_plan_tree(version, priorities=size)
    type(version).objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    round_ = monitoring.round_open(
        user=staff, plan=version.plan, year=2020, due=datetime.date(2021, 2, 15)
    )
    for indicator in Indicator.objects.filter(version=version):
        monitoring.actual_set(user=staff, indicator=indicator, year=2020, value="15")
    for measure in Measure.objects.filter(version=version):
        monitoring.implementation_set(
            user=staff,
            measure=measure,
            year=2020,
            status="delayed",
            note="Vėluoja",
            spent=[{"source": "SB", "amount": "100"}],
        )
    monitoring.round_publish(user=staff, round=round_)
    report = services.report_create(user=staff, plan=version.plan, year=2020)
    for priority in Priority.objects.filter(version=version):
        services.narrative_save(
            user=staff, report=report, section=f"priority:{priority.key}", text="Tekstas"
        )
    if approve:
        services.report_submit(user=staff, report=report)
        services.report_approve(
            user=staff,
            report=report,
            decision_number="TS-1",
            decision_date=datetime.date(2021, 4, 1),
        )
    return version, report


def _queries(reader, url):
    with CaptureQueriesContext(connection) as context:
        response = reader.get(url)
    assert response.status_code == 200, url
    return len(context)


@pytest.mark.parametrize(
    ("reader", "approve"), [("client", True), ("staff_client", True), ("staff_client", False)]
)
def test_the_report_page_runs_the_same_queries_when_the_plan_grows_fivefold(
    request, staff_user, reader, approve
):
    reader = request.getfixturevalue(reader)
    small, small_report = _plan_with_report(1, staff_user, approve=approve)
    large, large_report = _plan_with_report(5, staff_user, approve=approve)
    assert (
        Measure.objects.filter(version=large).count()
        == 5 * Measure.objects.filter(version=small).count()
    )
    assert MeasureImplementation.objects.filter(plan=large.plan).exists()
    with translation.override("en"):
        assert _queries(reader, f"/reports/{small_report.pk}/") == _queries(
            reader, f"/reports/{large_report.pk}/"
        )
    assert _queries(reader, f"/plans/{small.plan_id}/reports/") == _queries(
        reader, f"/plans/{large.plan_id}/reports/"
    )


def test_an_extra_section_is_shown_with_its_title_and_panels(
    staff_client, draft_report, monkeypatch
):
    hook = ReportSection(
        key="test",
        title="Bandomoji dalis",
        build=lambda *, plan, year, version: {"html": "<p>x</p>"},
        # A template reading only ``section`` and ``report``, as the hook requires.
        template="reports/_narrative.html",
    )
    monkeypatch.setattr(registry, "report_sections", [hook])
    monkeypatch.setattr(
        registry,
        "report_panels",
        [ReportPanel(render=lambda request, report, section: f"<p class='p-{section}'></p>")],
    )
    page = page_of(staff_client, draft_report)
    assert '<h2 id="section-test">Bandomoji dalis</h2>' in page
    assert "class='p-test'" in page
