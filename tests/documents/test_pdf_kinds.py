"""The PDF speaks the plan's kind (issue 12): an action plan prints as one.

Programme headings, each measure's kind, executor, appropriation manager and
the development plan's goals and tasks it implements, the appropriations
tables, and the indicator description cards of every kind of plan.
"""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from documents import services as documents
from documents.models import PlanDocument
from plans import services
from plans.kinds import PlanKind
from plans.models import Goal, Indicator, Measure, PlanVersion, Task, VersionStatus
from tests import factories

from .pdf_helpers import LETTERS, flat_text, lithuanian_version, pdf_reader, run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def lt(message: str, **values) -> str:
    """``message`` in Lithuanian (English until the branch's translations are compiled)."""
    with translation.override("lt"):
        return gettext(message) % values if values else gettext(message)


def approve(version):
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


@pytest.fixture
def development(staff_user):
    """A development plan in force with one goal and one task."""
    plan = services.plan_create(
        user=staff_user,
        title="Kauno rajono savivaldybės 2025–2034 metų plėtros planas",
        municipality="Kauno rajono savivaldybė",
        period_start=2025,
        period_end=2034,
        kind=PlanKind.DEVELOPMENT,
    )
    version = plan.versions.get()
    priority = services.node_create(
        user=staff_user, level="priority", parent=version, title="Sumani ekonomika"
    )
    goal = services.node_create(
        user=staff_user, level="goal", parent=priority, title="Didinti gyventojų užimtumą"
    )
    task = services.node_create(
        user=staff_user, level="task", parent=goal, title="Gerinti verslo sąlygas seniūnijose"
    )
    approve(version)
    goal.refresh_from_db()
    task.refresh_from_db()
    return {"plan": plan, "goal": goal, "task": task}


@pytest.fixture
def sources():
    return [
        factories.FundingSourceFactory(code="SB", name="Savivaldybės biudžetas", position=1),
        factories.FundingSourceFactory(code="ES", name="Europos Sąjungos lėšos", position=2),
    ]


def action_plan(user, development, *, title="2025–2027 metų strateginis veiklos planas"):
    return services.plan_create(
        user=user,
        title=f"Kauno rajono savivaldybės {title}",
        municipality="Kauno rajono savivaldybė",
        period_start=2025,
        period_end=2027,
        kind=PlanKind.ACTION,
        development_plan=development["plan"],
    )


def build_action(user, version, development, sources, *, programmes=1):
    """Programmes each with a goal, a task, a progress measure and a continuing activity."""
    executor = factories.UnitFactory(name="Strateginio planavimo skyrius")
    manager = factories.UnitFactory(name="Kauno rajono savivaldybės administracija")
    for number in range(programmes):
        programme = services.node_create(
            user=user, level="priority", parent=version, title=f"Ūkio plėtros programa {number}"
        )
        goal = services.node_create(
            user=user, level="goal", parent=programme, title="Skatinti verslumą"
        )
        services.indicator_save(
            user=user,
            owner=goal,
            name="Įregistruotų įmonių skaičius",
            unit="vnt.",
            code=f"E-{number}-01",
            definition="Per metus įregistruotų ūkio subjektų skaičius",
            calculation_method="Sumuojamas įregistruotų įmonių skaičius",
            data_source="Registrų centras",
            frequency="Kasmet",
            responsible_body="Ekonomikos skyrius",
            baseline_value=Decimal("120"),
            baseline_year=2023,
            remarks="Įskaitomos ir žemės ūkio įmonės",
            targets=[{"year": 2025, "value": 130}, {"year": 2027, "value": 150}],
        )
        task = services.node_create(
            user=user, level="task", parent=goal, title="Teikti konsultacijas"
        )
        services.node_create(
            user=user,
            level="measure",
            parent=task,
            title="Įrengti verslo inkubatorių",
            kind="progress",
            responsible_unit=executor,
            appropriation_manager=manager,
            implements=[str(development["task"].key), str(development["goal"].key)],
            funding=[
                {"year": 2025, "source": sources[0], "amount": "10000"},
                {"year": 2026, "source": sources[0], "amount": "20000"},
                {"year": 2026, "source": sources[1], "amount": "5000"},
                {"year": 2027, "source": sources[1], "amount": "7000"},
            ],
        )
        services.node_create(
            user=user,
            level="measure",
            parent=task,
            title="Išlaikyti turizmo informacijos centrą",
            kind="continuing",
            responsible_unit=executor,
            appropriation_manager=manager,
            funding=[{"year": 2025, "source": sources[0], "amount": "3000"}],
        )
    return version


@pytest.fixture
def action(staff_user, development, sources):
    plan = action_plan(staff_user, development)
    return build_action(staff_user, plan.versions.get(), development, sources)


def rendered(client, version) -> bytes:
    """The PDF as a reader gets it: asked for (202), rendered by the worker, served."""
    url = f"/api/v1/versions/{version.pk}/pdf/"
    assert client.get(url).status_code == 202
    run_worker()
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


@pytest.fixture
def action_pdf(action, staff_client):
    return rendered(staff_client, action)


def text_of(pdf: bytes) -> str:
    """pypdf's text of every page, on one line."""
    return " ".join(" ".join(page.extract_text().split()) for page in pdf_reader(pdf).pages)


def test_the_title_page_names_the_kind_and_the_versions_years(action_pdf):
    first_page = " ".join(pdf_reader(action_pdf).pages[0].extract_text().split())
    assert "Strateginis veiklos planas 2025–2027" in first_page
    assert "Kauno rajono savivaldybės 2025–2034 metų plėtros planas" in first_page


def test_programmes_are_headed_in_the_kinds_words(action_pdf):
    text = text_of(action_pdf)
    assert lt("Programmes, goals, tasks and measures") in text
    assert "PROGRAMA 01 Ūkio plėtros programa 0" in text
    assert "Prioritetas" not in text


def test_each_measure_prints_its_kind_units_and_the_development_plan_it_implements(action_pdf):
    text = flat_text(action_pdf)
    assert "Pažangos priemonė" in text and "Tęstinės veiklos priemonė" in text
    assert "Strateginio planavimo skyrius" in text
    assert "Kauno rajono savivaldybės administracija" in text
    # Codes and titles read from the development plan's version in force.
    assert "Uždavinys 1.1.1 Gerinti verslo sąlygas seniūnijose" in text
    assert "Tikslas 1.1 Didinti gyventojų užimtumą" in text


def test_the_appropriations_table_gives_each_measure_by_year_and_source(action_pdf):
    text = text_of(action_pdf)
    assert lt("Appropriations") in text
    caption = "Appropriations of programme %(code)s by year and funding source, EUR"
    assert lt(caption, code="01") in text
    # The progress measure: 10 000 (2025), 20 000 + 5 000 (2026), 7 000 (2027).
    for amount in ("10 000,00", "20 000,00", "5 000,00", "25 000,00", "7 000,00", "42 000,00"):
        assert amount in text.replace("\xa0", " "), amount
    # The programme's total: 42 000 and the continuing activity's 3 000.
    assert "45 000,00" in text.replace("\xa0", " ")
    assert lt("Summary of appropriations") in text


def test_every_indicator_has_a_description_card(action_pdf):
    text = flat_text(action_pdf)
    assert lt("Description cards of the monitoring indicators") in text
    for value in (
        "E-0-01",
        "Per metus įregistruotų ūkio subjektų skaičius",
        "Sumuojamas įregistruotų įmonių skaičius",
        "Registrų centras",
        "Kasmet",
        "Ekonomikos skyrius",
        "120 (2023)",
        "2025: 130; 2027: 150",
        "Įskaitomos ir žemės ūkio įmonės",
        lt("%(kind)s indicator", kind="Efekto"),
        "Didėjimas",
    ):
        assert value in text, value
    assert all(letter in text for letter in LETTERS)


def test_the_card_annex_keeps_the_headings_in_order_and_the_pdf_tagged(action_pdf):
    reader = pdf_reader(action_pdf)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    html = documents.document_html(
        PlanVersion.objects.select_related("plan").get(pk=PlanDocument.objects.get().version_id)
    )
    levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", html)]
    # No heading skips a level on the way down.
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))


def test_a_change_to_what_the_pdf_shows_gives_another_content_key(action, staff_user):
    def key():
        version = PlanVersion.objects.select_related("plan").get(pk=action.pk)
        with translation.override("lt"):
            return documents.content_hash(documents.document_html(version), variant="ua")

    before = key()
    indicator = Indicator.objects.get(version=action)
    services.indicator_save(user=staff_user, indicator=indicator, frequency="Kas ketvirtį")
    after_card = key()
    assert after_card != before
    measure = Measure.objects.filter(version=action).order_by("position").first()
    services.node_update(user=staff_user, node=measure, implements=[])
    after_link = key()
    assert after_link != after_card
    other = factories.UnitFactory(name="Finansų skyrius")
    services.node_update(user=staff_user, node=measure, appropriation_manager=other)
    assert key() != after_link


def test_the_context_runs_the_same_queries_for_an_action_plan_five_times_larger(
    staff_user, development, sources
):
    small = action_plan(staff_user, development).versions.get()
    build_action(staff_user, small, development, sources, programmes=1)
    large_plan = action_plan(staff_user, development, title="didelis veiklos planas")
    large = build_action(staff_user, large_plan.versions.get(), development, sources, programmes=5)
    assert (
        Measure.objects.filter(version=large).count()
        == 5 * Measure.objects.filter(version=small).count()
    )

    def queries(version):
        version = PlanVersion.objects.select_related("plan").get(pk=version.pk)
        with CaptureQueriesContext(connection) as context:
            with translation.override("lt"):
                documents.document_html(version)
        return len(context)

    assert queries(small) == queries(large)


def test_a_development_plans_pdf_says_its_kind_and_keeps_its_priorities(development, staff_client):
    pdf = rendered(staff_client, development["plan"].versions.get())
    text = text_of(pdf)
    assert "Plėtros planas 2025–2034" in text
    assert "PRIORITETAS 1 Sumani ekonomika" in text
    assert lt("Description cards of the monitoring indicators") in text


def test_links_follow_the_development_plan_in_force_and_its_approval_renders_anew(
    action, development, staff_user, client, django_capture_on_commit_callbacks
):
    # The development plan's draft adds a task; the action plan's draft links to it.
    draft = services.version_create_draft(user=staff_user, plan=development["plan"])
    goal = Goal.objects.get(version=draft)
    new_task = services.node_create(
        user=staff_user, level="task", parent=goal, title="Plėtoti žiedinę ekonomiką"
    )
    measure = Measure.objects.filter(version=action).order_by("position").first()
    services.node_update(user=staff_user, node=measure, implements=[str(new_task.key)])
    with translation.override("lt"):
        html = documents.document_html(PlanVersion.objects.select_related("plan").get(pk=action.pk))
    assert lt("not in the development plan in force") in html
    assert "Plėtoti žiedinę ekonomiką" not in html  # a draft's text is not printed

    # The action plan approved and printed; then the development draft comes into force.
    approve(action)
    before = flat_text(rendered(client, action))
    assert "Plėtoti žiedinę ekonomiką" not in before
    PlanVersion.objects.filter(pk=draft.plan.versions.get(number=1).pk).update(
        status=VersionStatus.SUPERSEDED
    )
    approve(draft)
    assert Task.objects.filter(version=draft, key=new_task.key).exists()
    with django_capture_on_commit_callbacks(execute=True):
        documents.refresh_implementing_documents(
            version=PlanVersion.objects.select_related("plan").get(pk=draft.pk)
        )
    after = flat_text(rendered(client, action))
    assert "Uždavinys 1.1.2 Plėtoti žiedinę ekonomiką" in after


def test_the_seeds_plans_keep_their_title_page_and_words_and_gain_the_cards():
    version = lithuanian_version(status=VersionStatus.APPROVED)
    with translation.override("lt"):
        html = documents.document_html(
            PlanVersion.objects.select_related("plan").get(pk=version.pk)
        )
    assert 'class="doc-kind"' not in html
    assert lt("Priorities, goals, tasks and measures") in html
    assert lt("Appropriations") not in html
    assert lt("Description cards of the monitoring indicators") in html
    assert html.count('class="indicator-card"') == Indicator.objects.filter(version=version).count()
