"""``manage.py load_demo``: the Kaunas District 2013–2020 plan and the demo accounts."""

from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from planportal.roles import COUNCIL, RESIDENT, STAFF, STAFF_GROUP, role_of
from plans.demo import kaunas_2013_2020 as data
from plans.demo import kaunas_2021_2027 as development_data
from plans.demo import kaunas_svp_2025_2027 as action_data
from plans.demo import loader
from plans.models import (
    FundingLine,
    FundingSource,
    Goal,
    Indicator,
    IndicatorTarget,
    Measure,
    MeasureLink,
    Plan,
    PlanVersion,
    Priority,
    Task,
    Unit,
    VersionStatus,
)

pytestmark = pytest.mark.django_db

REAL_VISION = (
    "Išugdyta kūrybiška, demokratinė, lygiateisė, laisva ir atvira visuomenė. "
    "Suformuota laikmečio realijas atliepianti verslo aplinka, pritraukiamos investicijos. "
    "Ekonominė, ūkinė ir socialinė plėtra suderinta su išsaugota švaria, saugia ir sveika aplinka."
)
MODELS = [
    get_user_model(),
    Plan,
    PlanVersion,
    Priority,
    Goal,
    Task,
    Measure,
    Indicator,
    IndicatorTarget,
    FundingLine,
    FundingSource,
    Unit,
    Measure.co_executors.through,
]


@pytest.fixture(scope="module")
def demo(demo_snapshot, django_db_blocker):
    """The demo loaded into the empty test database for this module.

    The rows are those ``load_demo`` wrote once for the session
    (tests/demo_data.py), restored in milliseconds; the tests share them. The
    outer atomic block is rolled back at the end, and each test runs in its own
    savepoint inside it (as Django's TestCase.setUpTestData does).
    """
    from tests.demo_data import restore

    with django_db_blocker.unblock(), transaction.atomic():
        assert not Plan.objects.exists()
        context = restore(demo_snapshot)
        yield context
        transaction.set_rollback(True)


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_demo_plan_meets_the_minimum_size(demo):
    version = demo.approved_version
    measures = Measure.objects.filter(version=version)
    assert Priority.objects.filter(version=version).count() >= 4
    assert Goal.objects.filter(version=version).count() >= 12
    assert Task.objects.filter(version=version).count() >= 30
    assert measures.count() >= 80
    assert Indicator.objects.filter(version=version).count() >= 40
    funded = measures.filter(funding__isnull=False).distinct().count()
    assert funded > measures.count() * 0.8
    assert measures.filter(responsible_unit__isnull=True).count() == 0
    assert measures.filter(co_executors__isnull=False).distinct().count() > measures.count() / 2
    assert {m.kind for m in measures} == {"progress", "continuing"}


def test_indicators_have_the_kind_of_their_level_a_baseline_and_targets(demo):
    indicators = Indicator.objects.filter(version=demo.approved_version).prefetch_related("targets")
    kinds = {(i.goal_id is not None, i.task_id is not None, i.kind) for i in indicators}
    assert kinds == {(True, False, "effect"), (False, True, "result"), (False, False, "output")}
    for indicator in indicators:
        assert indicator.baseline_value is not None and indicator.baseline_year, indicator.name
        assert indicator.targets.all(), indicator.name


def test_funding_covers_2014_to_2020_from_the_municipal_sources(demo):
    lines = FundingLine.objects.filter(measure__version=demo.approved_version)
    assert {line.year for line in lines} == set(range(2014, 2021))
    used = set(lines.values_list("source__code", flat=True))
    assert used == {"SB", "VB", "SD", "ES", "SAARSP", "KPPP", "PRIV", "KT"}
    kindergarten = Measure.objects.get(
        version=demo.approved_version, title="Pastatyti modulinį vaikų darželį Akademijoje"
    )
    amounts = {
        (f.year, f.source.code): f.amount for f in kindergarten.funding.select_related("source")
    }
    assert sum(amounts.values()) == Decimal("1280000")
    assert {year for year, _ in amounts} == {2014, 2015}


def test_demo_plan_has_the_real_title_vision_and_priority_d(demo):
    plan = demo.plan
    assert plan.title == "Kauno rajono savivaldybės 2013–2020 metų strateginis plėtros planas"
    assert plan.municipality == "Kauno rajono savivaldybė"
    assert (plan.period_start, plan.period_end, plan.numbering) == (2013, 2020, "letters")
    version = demo.approved_version
    assert version.vision == REAL_VISION
    assert Priority.objects.get(version=version, code="D").title == "Aplinkos kokybės gerinimas"
    assert Goal.objects.get(version=version, code="D.1").title == (
        "Parengti ir taikyti aplinkos kokybės priemones"
    )
    dumps = Task.objects.get(version=version, code="D.1.3")
    assert Task.objects.filter(version=version, code__startswith="D.1.").count() == 5
    indicator = dumps.indicators.get()
    assert indicator.name == "Sutvarkytų neleistinų atliekų sąvartynų skaičius"
    assert (indicator.unit, indicator.kind) == ("vnt.", "result")
    assert (indicator.baseline_value, indicator.baseline_year) == (0, 2013)
    assert indicator.targets.get(year=2020).value == 40
    assert Measure.objects.filter(version=version, code__startswith="D.1.3.").count() >= 2


def test_invented_content_is_marked_and_the_real_priority_is_not(demo):
    priorities = Priority.objects.filter(version=demo.approved_version)
    marked = {p.code for p in priorities if p.description.endswith(data.DEMO_NOTE)}
    assert marked == {"A", "B", "C"}
    d_measures = Measure.objects.filter(version=demo.approved_version, code__startswith="D.")
    assert all(m.description.endswith(data.DEMO_NOTE) for m in d_measures)
    real_tasks = Task.objects.filter(version=demo.approved_version, code__startswith="D.1.")
    assert not any(data.DEMO_NOTE in t.description for t in real_tasks)


def test_version_1_is_approved_without_an_invented_council_decision(demo):
    version = PlanVersion.objects.get(plan=demo.plan, number=1)
    assert version.status == VersionStatus.APPROVED
    assert version.approved_at is not None
    assert version.decision_number == "" and version.decision_date is None


def test_version_2_is_a_draft_revision_that_differs_from_version_1(demo):
    approved = demo.approved_version
    draft = PlanVersion.objects.get(plan=demo.plan, number=2)
    # The demo puts the draft revision to public consultation (consultations/demo.py).
    assert draft.status == VersionStatus.CONSULTATION
    assert draft.based_on == approved
    assert draft.vision == approved.vision

    def nodes(version):
        return {
            node.key: node
            for model in (Priority, Goal, Task, Measure)
            for node in model.objects.filter(version=version)
        }

    old, new = nodes(approved), nodes(draft)
    added = [new[key].title for key in new.keys() - old.keys()]
    removed = [old[key].title for key in old.keys() - new.keys()]
    retitled = [
        new[key].title for key in old.keys() & new.keys() if old[key].title != new[key].title
    ]
    assert added == ["Įrengti saulės elektrines savivaldybės pastatų stoguose"]
    assert removed == ["Įrengti gyventojų perspėjimo sirenas"]
    assert retitled == ["Įrengti Nemuno ir Neries vandens turizmo trasas su poilsiavietėmis"]
    # Unchanged nodes are the same nodes: same key, same code, same title.
    dumps = Task.objects.get(version=approved, code="D.1.3")
    assert Task.objects.get(version=draft, key=dumps.key).code == "D.1.3"

    def targets(version):
        indicator = Indicator.objects.get(
            version=version, name="Naujai įsteigtų ikimokyklinio ugdymo vietų skaičius"
        )
        return {t.year: t.value for t in indicator.targets.all()}

    assert targets(approved)[2020] == 900
    assert targets(draft)[2020] == 1100

    def total(version):
        measure = Measure.objects.get(
            version=version, title__startswith="Pakeisti gatvių šviestuvus efektyviais"
        )
        return sum(f.amount for f in measure.funding.all())

    assert total(draft) > total(approved)


def test_demo_accounts_have_their_roles_and_the_password_demo(demo):
    users = {u.username: u for u in get_user_model().objects.filter(username__in=data.ACCOUNTS)}
    assert set(users) == {
        "admin",
        "staff",
        "council1",
        "council2",
        "council3",
        "council4",
        "council5",
        "resident",
    }
    assert all(user.check_password("demo") for user in users.values())
    assert users["admin"].is_superuser
    assert users["admin"].groups.filter(name=STAFF_GROUP).exists()
    assert role_of(users["staff"]) == STAFF and not users["staff"].is_superuser
    for number in range(1, 6):
        member = users[f"council{number}"]
        assert role_of(member) == COUNCIL
        assert member.first_name and member.last_name
    assert role_of(users["resident"]) == RESIDENT


def test_running_the_command_twice_duplicates_nothing(demo):
    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "already present" in out.getvalue()
    assert PlanVersion.objects.filter(plan=demo.plan).count() == 2


def test_second_run_restores_a_demo_account_role_but_keeps_its_password(demo):
    staff = get_user_model().objects.get(username="staff")
    staff.groups.clear()
    staff.set_password("changed-by-the-operator")
    staff.save()
    loader.load_demo(say=lambda line: None)
    staff = get_user_model().objects.get(username="staff")
    assert role_of(staff) == STAFF
    assert staff.check_password("changed-by-the-operator")


def test_a_failure_in_any_step_leaves_nothing_half_loaded(demo, monkeypatch):
    # A new account makes the first step write something before the failure.
    monkeypatch.setitem(data.ACCOUNTS, "council6", ("Petras", "Naujokas", "council"))
    before = counts()

    def failing_step(context):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loader, "STEPS", [*loader.STEPS, failing_step])
    with pytest.raises(RuntimeError):
        loader.load_demo(say=lambda line: None)
    assert counts() == before
    assert not get_user_model().objects.filter(username="council6").exists()


def test_spread_funding_adds_up_to_the_total_in_whole_hundreds():
    lines = loader.spread_funding(70000, 2014, 2016)
    assert lines == [(2014, 23300), (2015, 23300), (2016, 23400)]
    assert loader.spread_funding(12000, 2013, 2013) == [(2013, 12000)]


# --- Today's kinds of plan: the 2021–2027 development plan and the 2025–2027 SVP --------


def test_the_development_plan_is_approved_with_digits_and_marked_as_demonstration(demo):
    plan = Plan.objects.get(title=development_data.PLAN["title"])
    assert (plan.kind, plan.numbering) == ("development", "digits")
    assert (plan.period_start, plan.period_end) == (2021, 2027)
    version = plan.versions.get()
    assert version.status == VersionStatus.APPROVED and version.approved_at is not None
    # No invented council decision: the label says the content is a demonstration.
    assert version.decision_number == "" and version.decision_date is None
    assert "demonstracinis" in version.label.lower()
    assert data.DEMO_NOTE in version.vision
    priorities = Priority.objects.filter(version=version)
    assert priorities.count() >= 3
    assert all(p.description.endswith(data.DEMO_NOTE) for p in priorities)
    assert Task.objects.get(version=version, code="1.1.1").title == (
        "Plėsti ikimokyklinio ir priešmokyklinio ugdymo įstaigų tinklą"
    )
    kinds = {
        (i.goal_id is not None, i.task_id is not None, i.kind)
        for i in Indicator.objects.filter(version=version)
    }
    assert kinds == {(True, False, "effect"), (False, True, "result"), (False, False, "output")}
    card = Indicator.objects.get(version=version, code="E-1.1")
    assert card.definition and card.calculation_method and card.frequency
    assert card.responsible_body and card.targets.get(year=2027).value == 95


def test_the_action_plan_implements_the_development_plan(demo):
    development = Plan.objects.get(title=development_data.PLAN["title"])
    plan = Plan.objects.get(title=action_data.PLAN["title"])
    assert (plan.kind, plan.numbering, plan.development_plan) == ("action", "padded", development)
    assert demo.action_plan == plan and demo.development_plan == development
    version = plan.versions.get(number=1)
    assert version.status == VersionStatus.APPROVED
    programmes = Priority.objects.filter(version=version)
    assert programmes.count() >= 3
    assert {
        "Savivaldybės valdymo programa",
        "Ugdymo kokybės ir modernios aplinkos užtikrinimo programa",
    } <= set(programmes.values_list("title", flat=True))
    assert programmes.get(title="Savivaldybės valdymo programa").code == "01"
    measures = Measure.objects.filter(version=version).prefetch_related("links")
    assert len(measures) >= 30
    assert all(m.responsible_unit_id and m.appropriation_manager_id for m in measures)
    progress = [m for m in measures if m.kind == "progress"]
    continuing = [m for m in measures if m.kind == "continuing"]
    assert progress and continuing
    assert all(not m.links.all() for m in continuing)
    linked = [m for m in progress if m.links.all()]
    assert len(linked) > len(progress) * 0.8
    # Every link names a goal or task of the development plan's approved version.
    development_version = development.versions.get(number=1)
    keys = {
        level: set(model.objects.filter(version=development_version).values_list("key", flat=True))
        for level, model in (("goal", Goal), ("task", Task))
    }
    links = [link for m in linked for link in m.links.all()]
    assert all(link.key in keys[link.level] for link in links)
    assert sum(link.level == "task" for link in links) > len(links) / 2


def test_the_action_plan_has_appropriations_by_year_and_source_and_its_indicators(demo):
    version = Plan.objects.get(title=action_data.PLAN["title"]).versions.get(number=1)
    lines = FundingLine.objects.filter(measure__version=version)
    assert {line.year for line in lines} == {2025, 2026, 2027}
    by_source = set(lines.values_list("source__code", flat=True))
    assert {"SB", "VB", "SD", "ES"} <= by_source
    for year in (2025, 2026, 2027):
        assert {"SB", "SD", "ES"} <= set(
            lines.filter(year=year).values_list("source__code", flat=True)
        )
    indicators = Indicator.objects.filter(version=version).prefetch_related("targets")
    kinds = {(i.goal_id is not None, i.task_id is not None, i.kind) for i in indicators}
    assert kinds == {(True, False, "effect"), (False, True, "result"), (False, False, "output")}
    assert all(i.baseline_year in (2023, 2024) and i.targets.all() for i in indicators)
    with_output = Measure.objects.filter(version=version, indicators__kind="output").distinct()
    assert with_output.count() >= 20


def test_the_action_plan_has_its_2026_2028_update_as_a_draft(demo):
    plan = Plan.objects.get(title=action_data.PLAN["title"])
    approved, update = plan.versions.get(number=1), plan.versions.get(number=2)
    assert update.status == VersionStatus.DRAFT and update.based_on == approved
    assert (update.first_year, update.last_year) == (2026, 2028)
    assert Measure.objects.filter(version=update).count() == (
        Measure.objects.filter(version=approved).count()
    )


def test_running_the_command_twice_adds_no_plan_of_the_new_kinds(demo):
    before = {kind: Plan.objects.filter(kind=kind).count() for kind in ("development", "action")}
    rows = (counts(), MeasureLink.objects.count())
    loader.load_demo(say=lambda line: None)
    assert (counts(), MeasureLink.objects.count()) == rows
    assert before == {"development": 1, "action": 1}
    assert before == {kind: Plan.objects.filter(kind=kind).count() for kind in before}
