"""Creating plans: the service, the "new plan" page, the next period of a plan, the API."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from plans import services
from plans.kinds import KINDS, PlanKind
from plans.models import (
    FundingLine,
    Indicator,
    Measure,
    MeasureLink,
    Plan,
    PlanVersion,
    Priority,
    VersionStatus,
)
from tests import factories
from tests.api.conftest import ApiClient
from tests.conftest import build_plan_tree


def make_plan(user, kind, start=2025, end=2027, **extra):
    return services.plan_create(
        user=user,
        title=f"Planas {kind} {start}",
        municipality="Kauno rajono savivaldybė",
        period_start=start,
        period_end=end,
        kind=kind,
        **extra,
    )


def approve(version):
    PlanVersion.objects.filter(pk=version.pk).update(status=VersionStatus.APPROVED)
    version.refresh_from_db()
    return version


@pytest.fixture
def staff(staff_client):
    staff_client.cookies["planportal_language"] = "en"
    return staff_client


@pytest.fixture
def staff_api(staff_client):
    return ApiClient(staff_client)


# --- The service ----------------------------------------------------------------


@pytest.mark.parametrize("kind", list(PlanKind.values))
def test_a_plan_without_an_end_year_gets_its_kinds_usual_length(staff_user, kind):
    plan = services.plan_create(
        user=staff_user, title="Planas", municipality="M", period_start=2026, kind=kind
    )
    assert plan.period_end == 2026 + KINDS[kind].default_years - 1
    assert plan.numbering == KINDS[kind].default_numbering


def test_an_unknown_kind_is_refused_next_to_the_field(staff_user):
    with pytest.raises(ValidationError) as refusal:
        make_plan(staff_user, "strategic")
    assert "kind" in refusal.value.message_dict
    assert not Plan.objects.exists()


# --- The next period of a plan ------------------------------------------------------


@pytest.fixture
def old_version(db):
    """An approved 2013–2020 version with funding lines in 2016 (build_plan_tree) and 2021."""
    version = factories.VersionFactory(status=VersionStatus.DRAFT, number=1)
    build_plan_tree(version, priorities=1, goals=1, tasks=1, measures=2)
    late = factories.FundingSourceFactory(code="KT")
    for measure in Measure.objects.filter(version=version):
        factories.FundingLineFactory(measure=measure, source=late, year=2021)
    return approve(version)


def next_period(user, source, **extra):
    arguments = {
        "title": "Strateginis plėtros planas 2021–2028",
        "municipality": "Kauno rajono savivaldybė",
        "period_start": 2021,
        "period_end": 2028,
        **extra,
    }
    return services.plan_create_next_period(user=user, source=source, **arguments)


def test_the_next_period_copies_the_tree_with_new_keys(staff_user, old_version):
    created = next_period(staff_user, old_version)
    draft = created.draft
    assert created.plan.kind == old_version.plan.kind
    assert (draft.number, draft.status, draft.based_on) == (1, VersionStatus.DRAFT, None)
    old = list(Measure.objects.filter(version=old_version).order_by("code"))
    new = list(Measure.objects.filter(version=draft).order_by("code"))
    assert [m.code for m in new] == [m.code for m in old]
    assert [m.title for m in new] == [m.title for m in old]
    # A new document: no node or indicator is "the same item" as the old plan's.
    for model in (Priority, Measure, Indicator):
        old_keys = set(model.objects.filter(version=old_version).values_list("key", flat=True))
        new_keys = set(model.objects.filter(version=draft).values_list("key", flat=True))
        assert len(new_keys) == len(old_keys) and not new_keys & old_keys
    # The old plan is untouched.
    assert Measure.objects.filter(version=old_version).count() == 2


def test_the_next_period_leaves_out_funding_outside_its_years(staff_user, old_version):
    created = next_period(staff_user, old_version)
    kept = FundingLine.objects.filter(measure__version=created.draft)
    assert set(kept.values_list("year", flat=True)) == {2021}
    assert created.copied.dropped_funding == 4  # two measures, two 2016 lines each
    assert FundingLine.objects.filter(measure__version=old_version).count() == 6


def test_the_next_period_keeps_the_kind_of_its_source(staff_user, old_version):
    with pytest.raises(ValidationError) as refusal:
        next_period(staff_user, old_version, kind=PlanKind.ACTION)
    assert "continue_from" in refusal.value.message_dict
    assert Plan.objects.count() == 1


def test_the_next_action_plan_keeps_links_only_to_its_own_development_plan(staff_user):
    development = make_plan(staff_user, PlanKind.DEVELOPMENT, 2021, 2030)
    dev_version = development.versions.get()
    priority = services.node_create(
        user=staff_user, level="priority", parent=dev_version, title="P"
    )
    goal = services.node_create(user=staff_user, level="goal", parent=priority, title="T")
    action = make_plan(staff_user, PlanKind.ACTION, development_plan=development)
    version = action.versions.get()
    programme = services.node_create(user=staff_user, level="priority", parent=version, title="P")
    a_goal = services.node_create(user=staff_user, level="goal", parent=programme, title="T")
    task = services.node_create(user=staff_user, level="task", parent=a_goal, title="U")
    services.node_create(
        user=staff_user, level="measure", parent=task, title="M", implements=[str(goal.key)]
    )
    same = next_period(
        staff_user, version, title="SVP 2028–2030", period_start=2028, period_end=2030,
        development_plan=development,
    )  # fmt: skip
    links = MeasureLink.objects.filter(measure__version=same.draft)
    assert list(links.values_list("key", flat=True)) == [goal.key]
    assert same.copied.dropped_links == 0
    none = next_period(
        staff_user, version, title="SVP be plėtros plano", period_start=2028, period_end=2030
    )
    assert not MeasureLink.objects.filter(measure__version=none.draft).exists()
    assert none.copied.dropped_links == 1


# --- The yearly update of an action plan -----------------------------------------------


def action_in_force(user):
    plan = make_plan(user, PlanKind.ACTION)
    version = plan.versions.get()
    PlanVersion.objects.filter(pk=version.pk).update(period_start=2025, period_end=2027)
    return plan, approve(version)


def test_an_action_plans_new_draft_moves_its_years_one_year_forward(staff_user):
    plan, in_force = action_in_force(staff_user)
    draft = services.version_create_draft(user=staff_user, plan=plan)
    assert (draft.period_start, draft.period_end) == (2026, 2028)
    assert list(draft.years) == [2026, 2027, 2028]


def test_an_amendment_during_the_year_keeps_the_years(staff_user):
    plan, in_force = action_in_force(staff_user)
    draft = services.version_create_draft(user=staff_user, plan=plan, keep_years=True)
    assert (draft.first_year, draft.last_year) == (2025, 2027)


def test_other_kinds_keep_their_years_in_a_new_draft(staff_user, approved_version):
    draft = services.version_create_draft(user=staff_user, plan=approved_version.plan)
    assert (draft.period_start, draft.period_end) == (None, None)
    assert (draft.first_year, draft.last_year) == (2013, 2020)


def test_funding_is_checked_against_the_versions_own_years(staff_user):
    plan, in_force = action_in_force(staff_user)
    # Eleven updates later the window has moved past the plan's own period.
    PlanVersion.objects.filter(pk=in_force.pk).update(period_start=2036, period_end=2038)
    in_force.refresh_from_db()
    draft = services.version_create_draft(user=staff_user, plan=plan, source=in_force)
    priority = services.node_create(user=staff_user, level="priority", parent=draft, title="P")
    goal = services.node_create(user=staff_user, level="goal", parent=priority, title="T")
    task = services.node_create(user=staff_user, level="task", parent=goal, title="U")
    source = factories.FundingSourceFactory(code="SB")
    # A measure without years of its own is funded within the draft's window
    # (2037–2039), not the plan's original period.
    measure = services.node_create(
        user=staff_user,
        level="measure",
        parent=task,
        title="M",
        kind="progress",
        funding=[{"year": 2038, "source": source, "amount": "100"}],
    )
    assert measure.funding.get().amount == Decimal("100")
    with pytest.raises(ValidationError) as refusal:
        services.measure_set_funding(
            user=staff_user, measure=measure, lines=[{"year": 2026, "source": source, "amount": 1}]
        )
    assert refusal.value.messages == [
        "2026 m. finansavimas nepatenka į plano laikotarpį 2037–2039."
    ]
    # A measure of its own years is funded within them, wherever the window is.
    later = services.node_create(
        user=staff_user,
        level="measure",
        parent=task,
        title="M2",
        kind="progress",
        start_year=2047,
        end_year=2048,
        funding=[{"year": 2048, "source": source, "amount": "100"}],
    )
    assert later.funding.get().year == 2048


def test_the_version_page_shows_the_versions_own_years(client, staff_user):
    plan, in_force = action_in_force(staff_user)
    PlanVersion.objects.filter(pk=in_force.pk).update(period_start=2026, period_end=2028)
    html = client.get(reverse("plans:version", args=[in_force.pk])).content.decode()
    assert "2026–2028" in html


def test_the_dashboard_offers_to_keep_an_action_plans_years(staff, staff_user):
    plan, in_force = action_in_force(staff_user)
    html = staff.get(reverse("plans:staff-dashboard")).content.decode()
    assert 'name="keep_years"' in html
    response = staff.post(reverse("plans:staff-draft-create", args=[plan.pk]), {"keep_years": "on"})
    draft = plan.versions.get(status=VersionStatus.DRAFT)
    assert response.status_code == 302
    assert (draft.first_year, draft.last_year) == (2025, 2027)


# --- The "new plan" page ----------------------------------------------------------------


def form_data(**extra):
    return {
        "kind": "development",
        "title": "Plėtros planas 2021–2030",
        "municipality": "Kauno rajono savivaldybė",
        "period_start": "2021",
        "period_end": "",
        "numbering": "",
        "development_plan": "",
        "start": "empty",
        "continue_from": "",
        **extra,
    }


def test_the_new_plan_page_describes_each_kind(staff):
    response = staff.get(reverse("plans:staff-plan-new"))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override("en"):
        for kind in KINDS.values():
            assert escape(str(kind.description))[:40] in html


@pytest.mark.parametrize(
    ("kind", "end", "numbering"),
    [("spp_2013", 2028, "letters"), ("development", 2030, "digits"), ("action", 2023, "padded")],
)
def test_staff_create_a_plan_of_each_kind_and_land_in_its_empty_draft(staff, kind, end, numbering):
    response = staff.post(reverse("plans:staff-plan-new"), form_data(kind=kind))
    plan = Plan.objects.get()
    draft = plan.versions.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:staff-outline", args=[draft.pk])
    assert (plan.kind, plan.period_end, plan.numbering) == (kind, end, numbering)
    assert not Priority.objects.filter(version=draft).exists()


def test_the_kinds_numbering_can_be_changed(staff):
    staff.post(reverse("plans:staff-plan-new"), form_data(numbering="letters"))
    assert Plan.objects.get().numbering == "letters"


def test_an_action_plan_names_its_development_plan(staff, staff_user):
    development = make_plan(staff_user, PlanKind.DEVELOPMENT, 2021, 2030)
    page = staff.get(reverse("plans:staff-plan-new")).content.decode()
    assert development.title in page
    staff.post(
        reverse("plans:staff-plan-new"),
        form_data(kind="action", title="SVP", development_plan=str(development.pk)),
    )
    assert Plan.objects.get(title="SVP").development_plan == development


def test_a_refused_plan_keeps_what_was_typed(staff, staff_user):
    development = make_plan(staff_user, PlanKind.DEVELOPMENT, 2021, 2030)
    response = staff.post(
        reverse("plans:staff-plan-new"),
        form_data(title="Mano planas", development_plan=str(development.pk)),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only an action plan implements a development plan." in html
    assert 'id="id_development_plan_error"' in html
    assert 'value="Mano planas"' in html
    assert Plan.objects.count() == 1


def test_continuing_needs_a_version_to_copy(staff):
    response = staff.post(reverse("plans:staff-plan-new"), form_data(start="continue"))
    assert response.status_code == 400
    assert 'id="id_continue_from_error"' in response.content.decode()
    assert not Plan.objects.exists()


def test_a_version_of_another_kind_is_refused_next_to_its_field(staff, old_version):
    response = staff.post(
        reverse("plans:staff-plan-new"),
        form_data(kind="development", start="continue", continue_from=str(old_version.pk)),
    )
    assert response.status_code == 400
    assert 'id="id_continue_from_error"' in response.content.decode()
    assert Plan.objects.count() == 1


def test_the_next_period_page_says_what_was_left_out(staff, old_version):
    response = staff.post(
        reverse("plans:staff-plan-new"),
        form_data(
            kind="spp_2013",
            period_start="2021",
            period_end="2028",
            start="continue",
            continue_from=str(old_version.pk),
        ),
        follow=True,
    )
    html = response.content.decode()
    assert "with new keys" in html
    assert "4 funding lines of years outside 2021–2028 were left out." in html
    assert Measure.objects.filter(version__plan__period_start=2021).count() == 2


def test_non_staff_cannot_open_the_new_plan_page(client, resident_client):
    assert client.get(reverse("plans:staff-plan-new")).status_code in (302, 403)
    assert resident_client.post(reverse("plans:staff-plan-new"), form_data()).status_code == 403
    assert not Plan.objects.exists()


# --- The API ------------------------------------------------------------------------------

API_PLAN = {
    "title": "Strateginis veiklos planas 2026–2028",
    "municipality": "Kauno rajono savivaldybė",
    "kind": "action",
    "period_start": 2026,
    "period_end": 2028,
    "numbering": "padded",
}


@pytest.mark.parametrize("kind", list(PlanKind.values))
def test_api_creates_a_plan_without_a_version(staff_api, kind):
    response = staff_api.post("/api/v1/plans/", {**API_PLAN, "kind": kind})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["current_version"] is None
    assert body["kind"] == kind
    plan = Plan.objects.get(pk=body["id"])
    assert not plan.versions.exists()


def test_api_first_draft_of_a_new_plan_is_empty(staff_api):
    plan_id = staff_api.post("/api/v1/plans/", API_PLAN).json()["id"]
    response = staff_api.post(f"/api/v1/plans/{plan_id}/versions/", {})
    assert response.status_code == 201
    assert response.json()["status"] == "draft"
    draft = PlanVersion.objects.get(pk=response.json()["id"])
    assert (draft.number, draft.based_on, draft.priorities.count()) == (1, None, 0)


def test_api_new_plan_names_its_development_plan(staff_api, staff_user):
    development = make_plan(staff_user, PlanKind.DEVELOPMENT, 2021, 2030)
    response = staff_api.post("/api/v1/plans/", {**API_PLAN, "development_plan": development.pk})
    assert response.status_code == 201
    assert Plan.objects.get(pk=response.json()["id"]).development_plan == development


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_end": 2020}, "period_end"),
        ({"kind": "strategic"}, "kind"),
        ({"title": ""}, "title"),
        ({"numbering": "roman"}, "numbering"),
        ({"period_start": "twenty"}, "period_start"),
        ({"status": "approved"}, "status"),
        ({"current_version": 3}, "current_version"),
    ],
)
def test_api_refuses_a_bad_plan_with_field_errors(staff_api, change, field):
    response = staff_api.post("/api/v1/plans/", {**API_PLAN, **change})
    assert response.status_code == 400
    assert field in response.json()
    assert not Plan.objects.exists()


def test_api_refuses_a_development_plan_for_another_kind(staff_api, staff_user):
    development = make_plan(staff_user, PlanKind.DEVELOPMENT, 2021, 2030)
    body = {**API_PLAN, "kind": "development", "development_plan": development.pk}
    response = staff_api.post("/api/v1/plans/", body)
    assert response.status_code == 400
    assert "development_plan" in response.json()


def test_api_plan_creation_is_for_staff_only(client, resident_client, council_client):
    for api in (ApiClient(client), ApiClient(resident_client), ApiClient(council_client)):
        assert api.post("/api/v1/plans/", API_PLAN).status_code in (401, 403)
    assert not Plan.objects.exists()


def test_api_draft_of_an_action_plan_moves_or_keeps_its_years(staff_api, staff_user):
    plan, in_force = action_in_force(staff_user)
    moved = staff_api.post(f"/api/v1/plans/{plan.pk}/versions/", {})
    draft = PlanVersion.objects.get(pk=moved.json()["id"])
    assert (draft.first_year, draft.last_year) == (2026, 2028)
    kept = staff_api.post(f"/api/v1/plans/{plan.pk}/versions/", {"keep_years": True})
    assert PlanVersion.objects.get(pk=kept.json()["id"]).last_year == 2027
