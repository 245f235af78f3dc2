"""The yearly report's whole way, in a real browser: staff write a narrative
and submit the report, a council member comments on a section and votes, the
voting approves it, and a visitor reads it and downloads its PDF."""

import re

import pytest
from playwright.sync_api import expect

from council.models import Ballot, Voting
from plans.models import Priority
from reports.models import Report, ReportStatus
from review.models import ReviewComment
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, login
from tests.browser.test_report_pages import _plan_with_published_round
from tests.documents.pdf_helpers import pdf_text, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_narrative_submit_comment_vote_approve_and_a_visitor_downloads_the_pdf(
    page, new_page, tmp_path
):
    staff = factories.UserFactory(username="ataskaitu-rengeja", role="staff")
    factories.UserFactory(username="tarybos-nare", role="council")
    version, indicator = _plan_with_published_round(staff)
    plan = version.plan
    priority = Priority.objects.get(version=version)

    # Staff make the report, write the priority's narrative and submit it.
    login(page, "ataskaitu-rengeja")
    page.goto(f"/plans/{plan.pk}/reports/")
    page.locator("#make-report-2020").click()
    report = Report.objects.get(plan=plan, year=2020)
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    page.locator(f'a[href$="/narratives/priority:{priority.key}/"]').click()
    page.fill("#id_text", "Darbai vyko pagal planą.\n\n- Įrengtas dviračių takas\n- Vėluoja tiltas")
    page.locator("form.narrative-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/#priority-{priority.key}$"))
    page.locator("#report-submit").click()
    page.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(page.locator("#report-voting-open-form")).to_be_visible()
    assert_no_axe_violations(page, "report under council review, staff")
    page.locator("#report-voting-open-form button[type=submit]").click()
    voting = Voting.objects.get(report=report)
    assert voting.is_open

    # A council member reads the frozen report, comments on the priority and votes for it.
    member_page = new_page()
    login(member_page, "tarybos-nare")
    member_page.goto(f"/reports/{report.pk}/")
    narrative = member_page.locator(f'.report-narrative[data-section="priority:{priority.key}"]')
    expect(narrative.locator("li")).to_have_text(["Įrengtas dviračių takas", "Vėluoja tiltas"])
    expect(member_page.locator("#report-voting-open")).to_be_visible()
    assert_no_axe_violations(member_page, "report under council review, council member")
    section_form = member_page.locator(
        f'form.review-new-form:has(input[name=section][value="priority:{priority.key}"])'
    )
    section_form.locator("textarea[name=text]").fill("Kodėl vėluoja tiltas?")
    section_form.locator("button[type=submit]").click()
    member_page.wait_for_load_state("networkidle")
    member_page.goto(f"/reports/{report.pk}/")
    expect(member_page.get_by_text("Kodėl vėluoja tiltas?")).to_be_visible()
    comment = ReviewComment.objects.get()
    assert comment.thread.report_id == report.pk
    assert comment.thread.section == f"priority:{priority.key}"
    member_page.locator("#council-voting input[type=radio][value=for]").check()
    member_page.locator("#council-voting form button[type=submit]").click()
    member_page.wait_for_load_state("networkidle")
    assert list(Ballot.objects.values_list("voting", "choice")) == [(voting.pk, "for")]

    # Staff close the voting: it passed, so the report is approved.
    # Closing asks first, with the turnout and the result it would record.
    page.goto(voting.get_absolute_url())
    page.locator("#close-voting-link").click()
    expect(page.locator("#close-result")).to_contain_text("Pritarta")
    report.refresh_from_db()
    assert report.status == ReportStatus.COUNCIL_REVIEW
    assert_no_axe_violations(page, "closing a report's voting, confirmation")
    page.locator("#confirm-close").click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    # Approval queued the PDF; the worker renders it before the visitor asks.
    run_worker()
    visitor = new_page()
    visitor.goto(f"/plans/{plan.pk}/reports/")
    visitor.locator(f"#report-{report.pk} a").click()
    visitor.wait_for_url(re.compile(rf"/reports/{report.pk}/$"))
    expect(
        visitor.locator(f'tr[data-indicator="{indicator.key}"] .indicator-actual')
    ).to_contain_text("13,5")
    expect(visitor.locator(".review-threads")).to_have_count(0)
    assert_no_axe_violations(visitor, "approved report, a visitor")
    with visitor.expect_download(timeout=30_000) as info:
        visitor.locator(f'a[href="/reports/{report.pk}/pdf/"]').click()
    saved = tmp_path / "report.pdf"
    info.value.save_as(saved)
    text = pdf_text(saved.read_bytes())
    assert "2020" in text and "Įrengtas dviračių takas" in text
