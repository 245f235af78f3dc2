"""The report's way: made from a round, frozen on submission, approved, revised."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from monitoring.models import ActualValue
from reports import selectors, services
from reports.models import Report, ReportFrozen, ReportNarrative, ReportStatus
from reports.snapshot import indicator_rows, measure_rows


def test_a_report_needs_the_years_round(approved_version, staff_user):
    with pytest.raises(ValidationError) as error:
        services.report_create(user=staff_user, plan=approved_version.plan, year=2020)
    assert "2020" in str(error.value)
    assert not Report.objects.exists()


def test_only_staff_make_a_report(published_round, council_user):
    with pytest.raises(PermissionDenied):
        services.report_create(user=council_user, plan=published_round.plan, year=2020)


def test_a_second_report_of_the_year_is_refused(draft_report, staff_user):
    with pytest.raises(services.ReportExists):
        services.report_create(user=staff_user, plan=draft_report.plan, year=2020)


def test_the_draft_shows_the_live_figures_and_the_narrative_sanitised(draft_report, staff_user):
    content = selectors.report_content(draft_report, staff_user)
    actual = [row for row in indicator_rows(content) if row["actual"] is not None]
    assert [row["actual"] for row in actual] == ["15"]
    delayed = [row for row in measure_rows(content) if row["implementation"] == "delayed"]
    assert delayed[0]["reason"] == "Užsitęsė pirkimas"
    priority_key = content["priorities"][0]["key"]
    services.narrative_save(
        user=staff_user,
        report=draft_report,
        section=f"priority:{priority_key}",
        text="Pirmoji pastraipa.\n\n- viena\n- dvi <script>alert(1)</script>",
    )
    html = selectors.report_content(draft_report, staff_user)["priorities"][0]["narrative"]
    assert html.startswith("<p>Pirmoji pastraipa.</p><ul><li>viena</li>")
    assert "<script" not in html


def test_pasted_html_keeps_lists_and_loses_scripts(draft_report, staff_user):
    narrative = services.narrative_save(
        user=staff_user,
        report=draft_report,
        section="summary",
        text=(
            '<p onclick="x()">Gerai</p><ol><li>a</li></ol>'
            '<img src=x onerror=y><a href="javascript:z">n</a>'
        ),
    )
    assert narrative.html.startswith("<p>Gerai</p><ol><li>a</li></ol>")
    assert "onclick" not in narrative.html and "img" not in narrative.html
    assert "javascript" not in narrative.html


def test_an_unknown_section_is_refused(draft_report, staff_user):
    with pytest.raises(ValidationError):
        services.narrative_save(user=staff_user, report=draft_report, section="goal:x", text="a")


def test_submitting_freezes_the_figures(submitted_report, staff_user):
    ActualValue.objects.filter(year=2020).update(value=99)
    report = Report.objects.get(pk=submitted_report.pk)
    content = selectors.report_content(report, staff_user)
    assert [r["actual"] for r in indicator_rows(content) if r["actual"]] == ["15"]
    with pytest.raises(services.ReportStateError):
        services.narrative_save(user=staff_user, report=report, section="summary", text="x")


def test_submission_needs_the_published_round(approved_version, staff_user):
    from monitoring import services as monitoring

    monitoring.round_open(
        user=staff_user, plan=approved_version.plan, year=2020, due=datetime.date(2021, 2, 1)
    )
    report = services.report_create(user=staff_user, plan=approved_version.plan, year=2020)
    with pytest.raises(services.RoundNotPublished):
        services.report_submit(user=staff_user, report=report)
    assert Report.objects.get().status == ReportStatus.DRAFT


def test_taking_back_makes_the_figures_live_again(submitted_report, staff_user):
    with pytest.raises(ValidationError):
        services.report_withdraw(user=staff_user, report=submitted_report, reason=" ")
    report = services.report_withdraw(user=staff_user, report=submitted_report, reason="Klaida")
    assert report.status == ReportStatus.DRAFT and report.snapshot is None


def test_an_approved_report_is_a_record_on_every_path(approved_report, staff_user):
    assert approved_report.status == ReportStatus.APPROVED
    assert approved_report.decision_number == "TS-12"
    report = Report.objects.get(pk=approved_report.pk)
    report.snapshot = {"schema": 1}
    with pytest.raises(ReportFrozen):
        report.save()
    with pytest.raises(ReportFrozen):
        Report.objects.filter(pk=report.pk).update(snapshot={})
    with pytest.raises(ReportFrozen):
        Report.objects.filter(pk=report.pk).delete()
    with pytest.raises(ReportFrozen):
        ReportNarrative.objects.create(report=report, section="summary", html="x")


def test_a_decision_date_in_the_reported_year_is_refused(submitted_report, staff_user):
    with pytest.raises(ValidationError) as error:
        services.report_approve(
            user=staff_user,
            report=submitted_report,
            decision_number="TS-12",
            decision_date=datetime.date(2020, 12, 1),
        )
    assert "decision_date" in error.value.message_dict
    assert Report.objects.get().status == ReportStatus.COUNCIL_REVIEW


def test_a_corrected_revision_supersedes_the_approved_one_when_approved(
    approved_report, staff_user
):
    with pytest.raises(ValidationError):
        services.report_revise(user=staff_user, report=approved_report, reason="")
    draft = services.report_revise(
        user=staff_user, report=approved_report, reason="Pataisyti duomenys"
    )
    assert (draft.revision, draft.status, draft.replaces_id) == (2, "draft", approved_report.pk)
    services.report_submit(user=staff_user, report=draft)
    services.report_approve(
        user=staff_user,
        report=draft,
        decision_number="TS-30",
        decision_date=datetime.date(2021, 6, 1),
    )
    old = Report.objects.get(pk=approved_report.pk)
    assert old.status == ReportStatus.SUPERSEDED
    assert selectors.approved_report(old.plan, 2020).pk == draft.pk


def test_the_public_reads_approved_reports_only(
    draft_report, resident_user, council_user, staff_user
):
    assert not selectors.reports_visible_to(None).exists()
    assert not selectors.reports_visible_to(council_user).exists()
    assert selectors.reports_visible_to(staff_user).count() == 1
    services.report_submit(user=staff_user, report=draft_report)
    assert selectors.reports_visible_to(council_user).count() == 1
    assert not selectors.reports_visible_to(resident_user).exists()


def test_a_chart_is_drawn_from_the_frozen_row(submitted_report):
    from reports.charts import indicator_row_chart

    row = next(r for r in indicator_rows(submitted_report.snapshot) if r["actual"])
    svg = indicator_row_chart(row, chart_id="c1")
    assert svg.startswith("<svg") and "15" in svg
