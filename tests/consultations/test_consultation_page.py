"""The consultation's page as a resident reads it: what is consulted and until
when, how to take part, the proposals (searched, sorted, counted), the draft's
outline collapsed after them with an amendment's changes marked; the home
page's notice of a consultation under way."""

import datetime
import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations import amendment, services
from consultations.models import Consultation
from plans.models import Measure, PlanVersion, Task, VersionStatus
from plans.services import version_create_draft, version_renumber
from tests import factories
from tests.conftest import build_plan_tree

from .conftest import open_consultation, propose

pytestmark = pytest.mark.django_db


def _url(consultation, **query):
    return reverse("consultations:detail", args=[consultation.pk]), query


def _get(client, consultation, **query):
    url, query = _url(consultation, **query)
    return client.get(url, query)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_leads_with_what_until_when_and_how_then_proposals_then_the_outline(
    client, consultation, resident_user
):
    propose(resident_user, consultation, text="Siūlau daugiau suoliukų parke.")
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() + datetime.timedelta(days=10, hours=1)
    )
    response = _get(client, consultation)
    html, text = response.content.decode(), _text(response)
    plan = consultation.version.plan
    assert f"Gyventojai kviečiami teikti pasiūlymus dėl „{plan.title}“ projekto." in text
    assert "Liko 10 dienų" in text
    assert "Pasiūlymai priimami" in text
    # The lead, then how to take part, then the proposals, and the outline last.
    order = [
        html.index('class="consultation-lead"'),
        html.index('id="take-part-heading"'),
        html.index('id="proposals-heading"'),
        html.index('class="proposal"'),
        html.index('id="draft-heading"'),
    ]
    assert order == sorted(order)
    assert "Kaip dalyvauti" in text and "„Pritariu“" in text


def test_the_outline_is_collapsed_and_each_item_says_how_many_proposals(
    client, consultation, measure, resident_user, other_resident
):
    propose(resident_user, consultation, target=str(measure.key))
    propose(other_resident, consultation, target=str(measure.key), text="Antras pasiūlymas čia.")
    task = Task.objects.get(pk=measure.task_id)
    propose(resident_user, consultation, target=str(task.key), text="Dėl uždavinio viso.")
    response = _get(client, consultation)
    html = response.content.decode()
    outline = html[html.index('id="draft-heading"') :]
    # Collapsed: details without "open", one per item that has parts under it.
    assert outline.count("<details") == 3 and "<details open" not in outline
    text = _text(response)
    # The priority and goal hold 3 (on their parts), the task 1 of its own, 3 in all.
    assert text.count("su dalimis – 3 pasiūlymai") == 3
    assert "dėl jos – 1 pasiūlymas" in text
    assert f'href="?target={measure.key}#proposals">2 pasiūlymai' in html
    # The count a link shows is what the list it opens holds.
    listed = _get(client, consultation, target=str(measure.key))
    assert listed.context["page"].paginator.count == 2


def test_search_finds_word_forms_and_never_a_hidden_text(
    client, consultation, resident_user, other_resident, staff_user
):
    kindergarten = propose(resident_user, consultation, text="Trūksta vietų darželiuose.")
    propose(other_resident, consultation, text="Reikia apšviesti gatves.")
    hidden = propose(other_resident, consultation, text="Darželis – reklama čia.")
    services.proposal_hide(user=staff_user, proposal=hidden, reason="Reklama")
    response = _get(client, consultation, q="darželis")
    assert list(response.context["page"]) == [kindergarten]
    text = _text(response)
    assert "Atitinka 1 pasiūlymas iš 3." in text
    assert response.context["page"].paginator.count == len(response.context["page"])
    nothing = _get(client, consultation, q="dviratininkai")
    assert list(nothing.context["page"]) == [] and "Atitinka 0 pasiūlymų iš 3." in _text(nothing)


def test_proposals_sort_newest_most_supported_and_oldest_first(
    client, consultation, resident_user, other_resident
):
    first = propose(resident_user, consultation, text="Pirmas pasiūlymas tekstas.")
    second = propose(resident_user, consultation, text="Antras pasiūlymas tekstas.")
    third = propose(resident_user, consultation, text="Trečias pasiūlymas tekstas.")
    services.proposal_support(user=other_resident, proposal=second)
    assert list(_get(client, consultation).context["page"]) == [third, second, first]
    assert list(_get(client, consultation, sort="supported").context["page"]) == [
        second,
        third,
        first,
    ]
    assert list(_get(client, consultation, sort="oldest").context["page"]) == [
        first,
        second,
        third,
    ]
    # An unknown order is the default one, not an error.
    unknown = _get(client, consultation, sort="x")
    assert unknown.status_code == 200 and list(unknown.context["page"]) == [third, second, first]
    html = _get(client, consultation, sort="supported").content.decode()
    assert '<option value="supported" selected>' in html


def test_the_counts_on_the_page_agree_with_the_list_and_it_pages(
    client, consultation, resident_user, staff_user, monkeypatch
):
    from consultations.views import public

    monkeypatch.setattr(public, "PAGE_SIZE", 2)
    proposals = [
        propose(resident_user, consultation, text=f"Pasiūlymas {n} tekstas") for n in "abc"
    ]
    services.proposal_hide(user=staff_user, proposal=proposals[0], reason="Reklama")
    response = _get(client, consultation)
    text = _text(response)
    assert response.context["total_count"] == 3 == response.context["page"].paginator.count
    assert "3 pasiūlymai." in text and "Rodomi 1–2." in text
    assert len(_get(client, consultation, page=2).context["page"]) == 1
    # The next page keeps the order and the search (the hidden text is never found).
    propose(resident_user, consultation, text="Pasiūlymas d tekstas")
    html = _get(client, consultation, q="pasiūlymas", sort="oldest").content.decode()
    assert "q=pasi%C5%ABlymas&amp;sort=oldest&amp;page=2#proposals" in html


def test_anonymous_readers_see_the_support_count_and_a_way_to_log_in(
    client, consultation, resident_user, other_resident
):
    proposal = propose(resident_user, consultation)
    services.proposal_support(user=other_resident, proposal=proposal)
    html = _get(client, consultation).content.decode()
    assert "Pritaria 1 gyventojas" in html
    number = proposal.public_number
    login = f'/accounts/login/?next=/consultations/{consultation.pk}/%23proposal-{number}"'
    assert login in html and "Prisijunkite, kad pritartumėte" in html
    assert "Pritariu</button>" not in html
    # Once closed, there is nothing to log in for.
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    # The anonymous page was kept until the end, which has now passed (the
    # update above stands for time passing, which no write announces).
    caches["pages"].clear()
    assert "Prisijunkite, kad pritartumėte" not in _get(client, consultation).content.decode()


def test_after_reporting_the_card_says_so_instead_of_offering_it_again(
    other_client, consultation, resident_user
):
    proposal = propose(resident_user, consultation)
    report_url = reverse("consultations:proposal-report", args=[proposal.pk])
    assert report_url in _get(other_client, consultation).content.decode()
    other_client.post(report_url, {"reason": "Reklama"})
    html = _get(other_client, consultation).content.decode()
    assert report_url not in html and "Pranešėte" in html


@pytest.fixture
def amendment_consultation(approved_version, staff_user):
    """A draft amending the version in force: one measure added, one retitled,
    one removed."""
    draft = version_create_draft(user=staff_user, plan=approved_version.plan)
    measures = list(Measure.objects.filter(version=draft).order_by("code"))
    Measure.objects.filter(pk=measures[0].pk).update(title="Nauja priemonės formuluotė")
    removed_key = measures[1].key
    measures[1].delete()
    added = factories.MeasureFactory(
        task=Task.objects.get(pk=measures[0].task_id), version=draft, title="Visai nauja priemonė"
    )
    version_renumber(draft)
    consultation = open_consultation(draft, staff_user)
    return consultation, measures[0], added, removed_key


def test_an_amendment_draft_marks_what_it_adds_changes_and_removes(
    client, amendment_consultation, approved_version
):
    consultation, changed, added, removed_key = amendment_consultation
    changes = amendment.draft_changes(consultation.version)
    assert changes.against == approved_version
    assert changes.marks == {str(changed.key): "changed", str(added.key): "added"}
    assert [entry.key for entry in changes.removed] == [str(removed_key)]
    assert changes.counts == {"added": 1, "changed": 1, "removed": 1}
    response = _get(client, consultation)
    html = response.content.decode()
    text = _text(response)
    # In words, with a legend, the removed item listed, and the comparison linked.
    assert "Ką keičia projektas" in text and "Pridėta" in text and "Pakeista" in text
    assert "Pašalinta" in text
    compare = reverse("plans:compare", args=[consultation.version_id])
    assert f'{compare}?against={approved_version.pk}"' in html
    line = html[html.index("Visai nauja priemonė") :]
    assert line.index("change-added") < line.index("</li>")
    # The items above them say that they hold changes, even collapsed.
    assert "3 pakeitimai viduje" in text


def test_a_draft_with_no_version_in_force_has_no_change_marks(client, consultation):
    assert amendment.draft_changes(consultation.version) is None
    assert "change-mark" not in _get(client, consultation).content.decode()


def test_the_page_runs_the_same_queries_when_the_plan_and_its_proposals_grow(
    client, staff_user, resident_user, other_resident
):
    """An amendment draft (the heaviest case: both trees and the comparison),
    five times larger, with more proposals and supports, for a signed-in reader."""

    def page_queries(priorities):
        approved = build_plan_tree(
            factories.VersionFactory(status=VersionStatus.DRAFT, number=1), priorities=priorities
        )
        PlanVersion.objects.filter(pk=approved.pk).update(status=VersionStatus.APPROVED)
        draft = version_create_draft(user=staff_user, plan=approved.plan)
        consultation = open_consultation(draft, staff_user)
        for measure in Measure.objects.filter(version=draft)[: priorities * 2]:
            proposal = propose(other_resident, consultation, target=str(measure.key))
            services.proposal_support(user=resident_user, proposal=proposal)
        client.force_login(resident_user)
        with CaptureQueriesContext(connection) as queries:
            response = _get(client, consultation, q="pasiūlymas", sort="supported")
        assert response.status_code == 200
        return len(queries)

    assert page_queries(1) == page_queries(5)


def test_the_home_page_tells_of_a_consultation_under_way(client, consultation):
    html = client.get("/").content.decode()
    end = timezone.localtime(consultation.ends_at).strftime("%Y-%m-%d")
    plan = consultation.version.plan.title
    assert f"Vyksta viešoji konsultacija: {plan}, iki {end}." in html
    assert f'href="{consultation.get_absolute_url()}"' in html
    Consultation.objects.filter(pk=consultation.pk).update(
        ends_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert "Vyksta viešoji konsultacija" not in client.get("/").content.decode()


def test_the_home_page_writes_a_decision_date_without_a_double_full_stop(client, approved_version):
    PlanVersion.objects.filter(pk=approved_version.pk).update(
        decision_number="TS-1", decision_date=datetime.date(2021, 1, 5)
    )
    html = client.get("/").content.decode()
    assert "d.." not in html and "TS-1, 2021-01-05." in html
