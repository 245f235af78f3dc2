"""Consultation pages in the browser (server side): what residents and staff see and do."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import selectors, services
from consultations.models import Consultation, Proposal
from plans.models import Measure, PlanVersion, VersionStatus
from tests import factories
from tests.documents.pdf_helpers import run_worker

from .conftest import propose

pytestmark = pytest.mark.django_db

SCRIPT = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'


def test_public_page_shows_counts_per_node_and_filters_by_node_and_status(
    client, consultation, measure, resident_user, staff_user
):
    on_measure = propose(resident_user, consultation, target=str(measure.key))
    propose(resident_user, consultation, text="Pasiūlymas dėl viso plano tekstas")
    services.proposal_answer(
        user=staff_user, proposal=on_measure, status="accepted", text="Pritarta", publish=True
    )
    page = client.get(reverse("consultations:detail", args=[consultation.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert f"?target={measure.key}#proposals" in html
    filtered = client.get(
        reverse("consultations:detail", args=[consultation.pk]), {"target": str(measure.key)}
    )
    assert list(filtered.context["page"]) == [on_measure]
    by_status = client.get(
        reverse("consultations:detail", args=[consultation.pk]), {"status": "pending"}
    )
    assert [p.target_key for p in by_status.context["page"]] == [None]
    bad = client.get(reverse("consultations:detail", args=[consultation.pk]), {"target": "x"})
    assert bad.status_code == 400


def test_a_resident_text_is_escaped_everywhere(client, consultation, resident_user, staff_user):
    proposal = propose(resident_user, consultation, text=SCRIPT)
    services.proposal_answer(
        user=staff_user, proposal=proposal, status="not_accepted", text=SCRIPT, publish=True
    )
    for url in (
        reverse("consultations:detail", args=[consultation.pk]),
        reverse("consultations:outcome", args=[consultation.pk]),
    ):
        html = client.get(url).content.decode()
        assert "<script>document.title" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_node_page_of_the_draft_shows_the_count_and_a_link_to_propose(
    client, consultation, measure, resident_user
):
    propose(resident_user, consultation, target=str(measure.key))
    html = client.get(
        reverse("plans:measure", args=[consultation.version_id, measure.pk])
    ).content.decode()
    assert (
        reverse("consultations:propose", args=[consultation.pk]) + f"?target={measure.key}" in html
    )
    assert "1 proposal on this part of the plan" in html or "1 pasiūlymas" in html


def test_proposing_needs_a_login_and_the_privacy_consent(
    client, resident_client, consultation, measure
):
    url = reverse("consultations:propose", args=[consultation.pk]) + f"?target={measure.key}"
    assert "/accounts/login/" in client.get(url)["Location"]
    data = {"text": "Siūlau įrengti apšvietimą.", "target": str(measure.key)}
    refused = resident_client.post(url, data)
    assert refused.status_code == 400 and not Proposal.objects.exists()
    accepted = resident_client.post(url, {**data, "consent": "on"})
    assert accepted.status_code == 302 and accepted["Location"].startswith(
        reverse("consultations:mine")
    )
    assert Proposal.objects.get().target_key == measure.key


def test_the_honeypot_refuses_a_bot_in_the_form(resident_client, consultation):
    url = reverse("consultations:propose", args=[consultation.pk])
    response = resident_client.post(
        url, {"text": "Pirkite pigius laikrodžius", "consent": "on", "website": "x"}
    )
    assert response.status_code == 400 and not Proposal.objects.exists()


def test_a_closed_consultation_says_so_and_keeps_its_proposals_readable(
    client, resident_client, consultation, resident_user
):
    propose(resident_user, consultation)
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    response = resident_client.post(
        reverse("consultations:propose", args=[consultation.pk]),
        {"text": "Per vėlai pateiktas", "consent": "on"},
    )
    assert response.status_code == 409
    assert Proposal.objects.count() == 1
    page = client.get(reverse("consultations:detail", args=[consultation.pk]))
    assert page.status_code == 200 and len(page.context["page"]) == 1


def test_mine_edit_and_withdraw(resident_client, consultation, resident_user):
    proposal = propose(resident_user, consultation)
    mine = resident_client.get(reverse("consultations:mine"))
    assert list(mine.context["proposals"]) == [proposal]
    edit = reverse("consultations:proposal-edit", args=[proposal.pk])
    assert resident_client.get(edit).status_code == 200
    resident_client.post(edit, {"text": "Naujas pasiūlymo tekstas"})
    proposal.refresh_from_db()
    assert proposal.text == "Naujas pasiūlymo tekstas"
    resident_client.post(reverse("consultations:proposal-withdraw", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert proposal.withdrawn_at is not None


def test_another_resident_cannot_edit_someone_elses_proposal(
    other_client, consultation, resident_user
):
    proposal = propose(resident_user, consultation)
    assert (
        other_client.get(reverse("consultations:proposal-edit", args=[proposal.pk])).status_code
        == 403
    )
    assert (
        other_client.post(
            reverse("consultations:proposal-withdraw", args=[proposal.pk])
        ).status_code
        == 403
    )


def test_support_and_report_from_the_page(other_client, consultation, resident_user):
    proposal = propose(resident_user, consultation)
    other_client.post(reverse("consultations:proposal-support", args=[proposal.pk]))
    other_client.post(reverse("consultations:proposal-support", args=[proposal.pk]))
    assert proposal.supports.count() == 1
    other_client.post(
        reverse("consultations:proposal-report", args=[proposal.pk]), {"reason": "Reklama"}
    )
    assert proposal.reports.get().reason == "Reklama"


def test_outcome_csv_and_xlsx_hold_the_table_without_emails(
    client, consultation, resident_user, staff_user, eldership
):
    from openpyxl import load_workbook

    resident_user.first_name, resident_user.last_name = "Jonas", "Rimkus"
    resident_user.save()
    proposal = propose(
        resident_user,
        consultation,
        show_name=True,
        eldership=eldership,
        text='=HYPERLINK("x") siūlymas',
    )
    services.proposal_answer(
        user=staff_user, proposal=proposal, status="accepted", text="Pritarta.", publish=True
    )
    raw = client.get(reverse("consultations:outcome-csv", args=[consultation.pk])).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(raw)))
    assert len(rows) == 2 and "Jonas Rimkus" in rows[1] and "Garliavos seniūnija" in rows[1]
    assert rows[1][3].startswith("'=")  # no formula injection
    assert resident_user.email not in raw
    response = client.get(reverse("consultations:outcome-xlsx", args=[consultation.pk]))
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.max_row == 2 and sheet.cell(2, 5).value == "Jonas Rimkus"
    counts = [row for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert ("Garliavos seniūnija", 1) in counts


def test_staff_open_a_consultation_from_the_browser(staff_client, consultation_version):
    url = reverse("consultations:staff-open", args=[consultation_version.pk])
    assert staff_client.get(url).status_code == 200
    now = timezone.localtime()
    bad = staff_client.post(
        url,
        {
            "title": "Aptarimas",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert bad.status_code == 400
    response = staff_client.post(
        url,
        {
            "title": "Aptarimas",
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + datetime.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert PlanVersion.objects.get(pk=consultation_version.pk).status == VersionStatus.CONSULTATION


def test_staff_prepare_answers_then_publish_all_and_authors_get_mail(
    staff_client, consultation, resident_user, other_resident, django_capture_on_commit_callbacks
):
    first, second = propose(resident_user, consultation), propose(other_resident, consultation)
    for proposal in (first, second):
        response = staff_client.post(
            reverse("consultations:staff-proposal", args=[proposal.pk]),
            {"action": "save", "status": "partly_accepted", "text": "Iš dalies pritarta."},
        )
        assert response.status_code == 302
    assert not Proposal.objects.filter(response_published_at__isnull=False).exists()
    # The button leads to a confirmation page first: nothing is published by a GET.
    page = staff_client.get(reverse("consultations:staff-publish", args=[consultation.pk]))
    assert page.status_code == 200
    assert "2 parengti atsakymai bus iš karto paskelbti" in page.content.decode()
    assert not Proposal.objects.filter(response_published_at__isnull=False).exists()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("consultations:staff-publish", args=[consultation.pk]))
    assert Proposal.objects.filter(response_published_at__isnull=False).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [resident_user.email, other_resident.email]
    )


def test_staff_hide_from_the_browser_and_extend(staff_client, consultation, resident_user):
    proposal = propose(resident_user, consultation)
    staff_client.post(
        reverse("consultations:staff-proposal", args=[proposal.pk]),
        {"action": "hide", "reason": "Reklama"},
    )
    proposal.refresh_from_db()
    assert proposal.hidden and proposal.hidden_reason == "Reklama"
    later = (timezone.localtime(consultation.ends_at) + datetime.timedelta(days=5)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    staff_client.post(
        reverse("consultations:staff-detail", args=[consultation.pk]),
        {"action": "extend", "ends_at": later},
    )
    consultation.refresh_from_db()
    assert timezone.localtime(consultation.ends_at).strftime("%Y-%m-%dT%H:%M") == later


def test_public_page_queries_do_not_grow_with_proposals(
    client, consultation, resident_user, other_resident, measure
):
    url = reverse("consultations:detail", args=[consultation.pk])
    propose(resident_user, consultation, target=str(measure.key))
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for n in range(6):
        proposal = propose(
            other_resident, consultation, text=f"Dar vienas pasiūlymas {n}", target=str(measure.key)
        )
        services.proposal_support(user=resident_user, proposal=proposal)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_pdf_annex_in_constant_queries_with_published_answers_only(
    consultation, resident_user, other_resident, staff_user
):
    assert selectors.pdf_annex(version=factories.VersionFactory()) is None
    resident_user.first_name, resident_user.last_name = "Jonas", "Rimkus"
    resident_user.save()
    shown = propose(resident_user, consultation, show_name=True)
    services.proposal_answer(
        user=staff_user, proposal=shown, status="accepted", text="Pritarta viešai.", publish=True
    )
    prepared = propose(other_resident, consultation, text="Kitas pasiūlymas tekstas")
    services.proposal_answer(
        user=staff_user, proposal=prepared, status="accepted", text="Dar neskelbta."
    )
    version = consultation.version
    with CaptureQueriesContext(connection) as small:
        annex = selectors.pdf_annex(version=version)
    for n in range(5):
        propose(other_resident, consultation, text=f"Dar vienas pasiūlymas {n}")
    with CaptureQueriesContext(connection) as large:
        selectors.pdf_annex(version=version)
    assert len(small) == len(large), [q["sql"][:150] for q in small.captured_queries]
    html = render_to_string("consultations/pdf_annex.html", {"annex": annex})
    assert "<h2" in html and "Pritarta viešai." in html and "Jonas Rimkus" in html
    assert "Dar neskelbta." not in html
    assert resident_user.email not in html and other_resident.email not in html


def test_version_submit_refused_in_the_browser_while_open(staff_client, consultation):
    response = staff_client.post(reverse("council:submit", args=[consultation.version_id]))
    assert PlanVersion.objects.get(pk=consultation.version_id).status == VersionStatus.CONSULTATION
    assert response.status_code == 409
    assert response.context["code"] == "consultation_not_over"


def test_staff_link_an_accepted_proposal_to_a_node_of_a_later_draft_by_its_code(
    staff_client, consultation, measure, resident_user, staff_user
):
    from plans.services import version_create_draft

    proposal = propose(resident_user, consultation, target=str(measure.key))
    later = version_create_draft(
        user=staff_user, plan=consultation.version.plan, source=consultation.version
    )
    other = Measure.objects.filter(version=later).exclude(key=measure.key).first()
    url = reverse("consultations:staff-proposal", args=[proposal.pk])
    answer = {
        "action": "save",
        "status": "accepted",
        "text": "Įtraukta.",
        "linked_version": later.pk,
    }

    response = staff_client.post(url, {**answer, "linked_key": "Z.9.9.9"})
    assert response.status_code == 400
    assert response.context["answer_form"].has_error("linked_key")
    assert "Z.9.9.9" in response.content.decode()  # what staff typed stays in the form
    proposal.refresh_from_db()
    assert proposal.linked_key is None

    assert staff_client.post(url, {**answer, "linked_key": f" {other.code} "}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.linked_version, proposal.linked_key) == (later, other.key)
    # The form shows the code again, not the key.
    assert f'value="{other.code}"' in staff_client.get(url).content.decode()


def test_anyone_downloads_the_draft_under_consultation_as_pdf_from_its_page(client, consultation):
    html = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    pdf_url = reverse("documents:version-pdf", args=[consultation.version_id])
    assert f'href="{pdf_url}"' in html
    # Opening the consultation queued its PDF; the worker renders it.
    run_worker()
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
