"""One public number per proposal in its consultation (issue 15): given in
order, raced safely, kept by hidden proposals, and the same in the page, the
proposal's own page, the CSV, the XLSX, the PDF annex, the API and the letters;
every count agrees with the list it is shown with."""

import csv
import importlib
import io
import json
from unittest import mock

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import connection
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import selectors, services
from consultations.models import Proposal
from documents.services import document_html, render_pdf
from tests import factories
from tests.consultations.conftest import open_consultation, propose
from tests.documents.pdf_helpers import flat_text
from tests.xlsx_checks import open_workbook

numbering = importlib.import_module("consultations.migrations.0004_proposal_public_number")


@pytest.fixture
def residents(db):
    return [
        factories.UserFactory(username=f"gyventojas{n}", first_name="Ona", last_name=f"Ona{n}")
        for n in range(4)
    ]


def test_numbers_run_1_2_3_in_each_consultation_on_its_own(consultation, residents, staff_user):
    numbers = [propose(r, consultation).public_number for r in residents[:3]]
    assert numbers == [1, 2, 3]
    other_version = factories.VersionFactory(status="draft", number=3)
    from tests.conftest import build_plan_tree

    build_plan_tree(other_version, priorities=1, goals=1, tasks=1, measures=1)
    other = open_consultation(other_version, staff_user, title="Kitas aptarimas")
    assert propose(residents[3], other).public_number == 1


def test_a_withdrawn_proposal_keeps_its_number_and_the_next_one_is_new(consultation, residents):
    first = propose(residents[0], consultation)
    services.proposal_withdraw(user=residents[0], proposal=first)
    assert propose(residents[1], consultation).public_number == 2


def test_two_submissions_reading_the_same_highest_number_get_distinct_numbers(
    consultation, residents
):
    """The race: the second submission read the highest number before the
    first one was written; the unique constraint refuses the duplicate and the
    service retries with the next number."""
    propose(residents[0], consultation)
    real_aggregate = QuerySet.aggregate
    calls = []

    def stale_then_real(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            return {"highest": 0}  # what it read before the first one committed
        return real_aggregate(self, *args, **kwargs)

    with mock.patch.object(QuerySet, "aggregate", stale_then_real):
        second = propose(residents[1], consultation)
    assert second.public_number == 2 and len(calls) == 2
    assert sorted(Proposal.objects.values_list("public_number", flat=True)) == [1, 2]


def test_the_data_migration_numbers_existing_proposals_by_submission_order(consultation, residents):
    made = [propose(r, consultation) for r in residents[:3]]
    # As before the migration: numbers unknown (here scrambled out of the way).
    for offset, proposal in enumerate(reversed(made)):
        Proposal.objects.filter(pk=proposal.pk).update(public_number=100 + offset)
    numbering.number_existing(django_apps, None)
    assert [Proposal.objects.get(pk=p.pk).public_number for p in made] == [1, 2, 3]


def _consultation_with_a_hidden_one(consultation, residents, staff_user, measure):
    first = propose(residents[0], consultation, text="Siūlau dviračių taką iki mokyklos.")
    hidden = propose(residents[1], consultation, text="Įžeidžiantis tekstas apie kaimyną.")
    third = propose(residents[2], consultation, text="Siūlau apšviesti perėją.", target=measure.key)
    fourth = propose(residents[3], consultation, text="Siūlau daugiau suolelių parke.")
    services.proposal_hide(user=staff_user, proposal=hidden, reason="Reklama")
    services.proposal_answer(
        user=staff_user,
        proposal=fourth,
        status="accepted",
        text="Pritarta.",
        publish=True,
        notify=False,
    )
    # The second was hidden: numbers 1, 3, 4 are listed, 2 is the gap.
    return [first, third, fourth], hidden


def test_every_file_lists_the_same_numbers_and_counts_what_it_lists(
    client, consultation, residents, staff_user, measure
):
    listed, hidden = _consultation_with_a_hidden_one(consultation, residents, staff_user, measure)
    numbers = sorted(p.public_number for p in listed)
    assert numbers == [1, 3, 4] and hidden.public_number == 2

    outcome = client.get(reverse("consultations:outcome", args=[consultation.pk]))
    page = outcome.content.decode()
    for proposal in listed:
        assert f'href="{proposal.get_absolute_url()}"' in page
    assert hidden.get_absolute_url() not in page
    assert "Žemiau pateikti 3 pasiūlymai." in page
    assert "1 moderatoriaus paslėptas pasiūlymas neįtrauktas" in page

    raw = client.get(reverse("consultations:outcome-csv", args=[consultation.pk]))
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8").removeprefix("\ufeff"))))
    assert sorted(int(row[0]) for row in rows[1:]) == numbers

    book = open_workbook(
        client.get(reverse("consultations:outcome-xlsx", args=[consultation.pk])).content
    )
    sheet, counts = book.worksheets
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == numbers
    count_rows = {row[0]: row[1] for row in counts.iter_rows(values_only=True) if row[0]}
    assert count_rows["Iš viso"] == 3
    by_status = [row[1] for row in counts.iter_rows(min_row=2, max_row=1 + 6, values_only=True)]
    assert sum(by_status) == 3

    annex = selectors.pdf_annex(version=consultation.version)
    assert [row["number"] for row in annex["rows"]] == [
        r["number"] for r in selectors.outcome(consultation)["rows"]
    ]
    assert annex["total"] == 3 == sum(item["count"] for item in annex["by_status"])

    # The API's number is the same one.
    api = client.get(f"/api/v1/consultations/{consultation.pk}/proposals/").json()
    results = api["results"] if isinstance(api, dict) else api
    assert {item["number"] for item in results if item["status"] != "hidden"} == set(numbers)


def test_the_pdf_annex_numbers_and_counts_the_listed_proposals(
    consultation, residents, staff_user, measure
):
    listed, hidden = _consultation_with_a_hidden_one(consultation, residents, staff_user, measure)
    text = flat_text(render_pdf(document_html(consultation.version)))
    annex = text[text.rindex("Gauti 3 pasiūlymai.") :]
    assert "1 moderatoriaus paslėptas pasiūlymas neįtrauktas" in annex
    # The hidden one is no row: neither its text nor its reason is in the annex.
    assert "Įžeidžiantis tekstas" not in annex and "Reklama" not in annex
    for proposal in listed:
        assert proposal.text[:20] in annex.replace("\n", " ")


# --- The proposal's own page ------------------------------------------------------------


def test_a_public_proposal_has_its_own_page_with_the_answer(
    client, consultation, residents, staff_user
):
    proposal = propose(residents[0], consultation, text="Siūlau įrengti dviračių stovą.")
    services.proposal_answer(
        user=staff_user,
        proposal=proposal,
        status="accepted",
        text="Įrengsime 2027 m.",
        publish=True,
        notify=False,
    )
    url = f"/consultations/{consultation.pk}/proposals/{proposal.public_number}/"
    assert proposal.get_absolute_url() == url
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pasiūlymas Nr. 1" in body and "Siūlau įrengti dviračių stovą." in body
    assert "Įrengsime 2027 m." in body and "Pritarta" in body
    # The card on the consultation's page is anchored by the number and links here.
    listing = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert 'id="proposal-1"' in listing and f'href="{url}"' in listing


def test_a_hidden_proposal_is_not_found_by_the_public_but_staff_see_it(
    client, consultation, residents, staff_user, staff_client
):
    proposal = propose(residents[0], consultation, text="Įžeidžiantis tekstas apie kaimyną.")
    services.proposal_hide(user=staff_user, proposal=proposal, reason="Įžeidžia")
    url = proposal.get_absolute_url()
    assert client.get(url).status_code == 404
    other = Client()
    other.force_login(residents[1])
    assert other.get(url).status_code == 404
    staff = staff_client.get(url)
    assert staff.status_code == 200 and "Įžeidžia" in staff.content.decode()
    assert client.get(f"/consultations/{consultation.pk}/proposals/99/").status_code == 404


# --- Answers: the form, the confirmation, the letters ------------------------------------


def test_the_answer_form_starts_with_no_status_and_asks_for_one(
    staff_client, consultation, residents
):
    proposal = propose(residents[0], consultation)
    url = reverse("consultations:staff-proposal", args=[proposal.pk])
    page = staff_client.get(url).content.decode()
    assert 'name="status"' in page and "checked" not in page.split('name="status"')[1][:200]
    assert 'type="radio"' in page
    response = staff_client.post(url, {"action": "save", "text": "Pagrindimas."})
    assert response.status_code == 400
    assert "Pasirinkite atsakymą" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.response_status == ""


def test_the_confirmation_counts_authors_and_supporters_to_be_emailed(
    staff_client, consultation, residents, staff_user
):
    proposal = propose(residents[0], consultation)
    services.proposal_support(user=residents[1], proposal=proposal)
    services.proposal_support(user=residents[2], proposal=proposal)
    services.answer_letters_set(user=residents[2], enabled=False)
    services.proposal_answer(user=staff_user, proposal=proposal, status="accepted", text="Taip.")
    preview = selectors.publish_preview(consultation)
    assert (
        preview["answers"],
        preview["residents"],
        preview["authors"],
        preview["supporters"],
    ) == (1, 2, 1, 1)
    page = staff_client.get(reverse("consultations:staff-publish", args=[consultation.pk]))
    text = page.content.decode()
    assert "1 parengtas atsakymas bus iš karto paskelbtas" in text
    assert "Laiškus gaus 2 gyventojai" in text
    assert not Proposal.objects.filter(response_published_at__isnull=False).exists()


def test_the_answer_letter_greets_quotes_names_the_item_and_links_absolutely(
    consultation, residents, staff_user, measure, settings, django_capture_on_commit_callbacks
):
    settings.PLANPORTAL_BASE_URL = "https://planas.krs.lt/"
    author = residents[0]
    proposal = propose(
        author, consultation, text="Siūlau apšviesti perėją\nprie mokyklos.", target=measure.key
    )
    nameless = factories.UserFactory(username="bevardis")
    services.proposal_support(user=nameless, proposal=proposal)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_answer(
            user=staff_user,
            proposal=proposal,
            status="partly_accepted",
            text="Iš dalies pritarta: perėja bus apšviesta 2027 m.",
            publish=True,
        )
    letters = {m.to[0]: m for m in mail.outbox}
    assert set(letters) == {author.email, nameless.email}
    to_author = letters[author.email]
    assert to_author.subject == f"Atsakymas į pasiūlymą Nr. 1: {consultation.title}"
    body = to_author.body
    assert body.startswith(f"Sveiki, {author.get_full_name()},")
    assert "> Siūlau apšviesti perėją\n> prie mokyklos." in body
    assert f"Plano dalis: {measure.code} {measure.title}" in body
    assert "Atsakymas: Iš dalies pritarta" in body and "perėja bus apšviesta 2027 m." in body
    assert f"https://planas.krs.lt/consultations/{consultation.pk}/proposals/1/" in body
    assert "https://planas.krs.lt/accounts/#answer-letters" in body
    assert "nes pateikėte šį pasiūlymą" in body
    to_supporter = letters[nameless.email].body
    assert to_supporter.startswith("Sveiki,\n") and "kuriam pritarėte" in to_supporter
    assert "nes pritarėte šiam pasiūlymui" in to_supporter


def test_a_supporter_who_turned_letters_off_gets_none(
    consultation, residents, staff_user, django_capture_on_commit_callbacks
):
    proposal = propose(residents[0], consultation)
    for supporter in residents[1:3]:
        services.proposal_support(user=supporter, proposal=proposal)
    client = Client()
    client.force_login(residents[2])
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "Laiškai apie atsakymus" in profile and "Nebesiųsti šių laiškų" in profile
    response = client.post(reverse("consultations:answer-letters"), {"enabled": "0"})
    assert response.status_code == 302 and response["Location"].endswith("#answer-letters")
    assert (
        "Vėl siųsti man šiuos laiškus" in client.get(reverse("accounts:profile")).content.decode()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_answer(
            user=staff_user, proposal=proposal, status="accepted", text="Taip.", publish=True
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([residents[0].email, residents[1].email])


# --- The header and the data download ------------------------------------------------------


def test_the_header_says_signed_in_without_a_gendered_word(resident_client, resident_user):
    page = resident_client.get("/").content.decode()
    assert "Prisijungta kaip" in page and "Prisijungęs" not in page


def test_the_data_download_is_utf8_with_vilnius_offsets(consultation, residents):
    resident = residents[0]
    propose(resident, consultation, text="Siūlau žalią ūkį prie mūsų mokyklos.")
    other = propose(residents[1], consultation)
    services.proposal_support(user=resident, proposal=other)
    client = Client()
    client.force_login(resident)
    response = client.get(reverse("accounts:data"))
    raw = response.content.decode("utf-8")
    assert "ūkį" in raw and "\\u016b" not in raw
    data = json.loads(raw)
    moments = [
        data["consultations"]["proposals"][0]["submitted_at"],
        data["consultations"]["supports"][0]["at"],
        data["exported_at"],
    ]
    assert all(m.endswith(("+02:00", "+03:00")) for m in moments), moments
    assert data["consultations"]["proposals"][0]["number"] == 1
    assert data["consultations"]["supports"][0]["number"] == 2


def test_the_deploy_check_warns_without_a_public_base_url(settings):
    from planportal.checks import base_url_warnings

    settings.DEBUG = False
    settings.PLANPORTAL_BASE_URL = ""
    assert [w.id for w in base_url_warnings()] == ["planportal.W010"]
    settings.PLANPORTAL_BASE_URL = "https://planas.krs.lt"
    assert base_url_warnings() == []


def test_the_publish_confirmation_reads_the_same_queries_however_many_answers(
    consultation, staff_user, django_assert_max_num_queries
):
    def prepare(count, start):
        for n in range(count):
            author = factories.UserFactory(username=f"autorius{start + n}")
            proposal = propose(author, consultation, text=f"Siūlau {start + n} suolelius parke.")
            supporter = factories.UserFactory(username=f"pritarejas{start + n}")
            services.proposal_support(user=supporter, proposal=proposal)
            services.proposal_answer(
                user=staff_user, proposal=proposal, status="accepted", text="Taip."
            )

    prepare(2, 0)
    with CaptureQueriesContext(connection) as few:
        selectors.publish_preview(consultation)
    prepare(10, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        preview = selectors.publish_preview(consultation)
    assert preview["answers"] == 12 and preview["residents"] == 24
