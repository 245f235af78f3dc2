"""The level registry (plans/levels.py) is the one description of the tree's levels."""

from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import translation

from consultations.models import Proposal
from plans.api import serializers, views
from plans.levels import INDICATOR_LEVELS, LEVEL_NAMES, LEVELS, PRIORITY, NodeLevel, level_of
from plans.models import DEFAULT_INDICATOR_KIND, Indicator, PlanVersion
from review.models import ReviewThread


def test_levels_run_from_priority_to_measure_each_the_child_of_the_one_before():
    assert LEVEL_NAMES == ("priority", "goal", "task", "measure")
    assert PRIORITY.is_top and PRIORITY.parent is None
    for upper, lower in pairwise(LEVEL_NAMES):
        assert LEVELS[upper].child is LEVELS[lower]
        assert LEVELS[lower].parent is LEVELS[upper]
    assert LEVELS["measure"].child is None


@pytest.mark.parametrize("name", LEVEL_NAMES)
def test_each_levels_model_points_at_its_parent_through_its_parent_field(name):
    level = LEVELS[name]
    assert level.name == name
    assert level_of(level.model) is level
    parent_fk = level.model._meta.get_field(level.parent_field)
    expected = PlanVersion if level.is_top else level.parent.model
    assert parent_fk.related_model is expected
    # Every node also points straight at its version.
    assert level.model._meta.get_field("version").related_model is PlanVersion


@pytest.mark.parametrize("name", LEVEL_NAMES)
def test_lookups_from_a_level_reach_every_ancestor(name):
    level = LEVELS[name]
    for ancestor in level.ancestors:
        path = level.lookup_to(ancestor)
        model = level.model
        for step in path.split("__"):
            model = model._meta.get_field(step).related_model
        assert model is ancestor.model
    assert level.ancestors_lookup == (level.lookup_to(PRIORITY) if not level.is_top else None)
    with pytest.raises(ValueError):
        PRIORITY.lookup_to(level if not level.is_top else LEVELS["goal"])


def test_indicators_belong_to_the_levels_that_have_a_default_kind():
    assert INDICATOR_LEVELS == ("goal", "task", "measure")
    assert set(DEFAULT_INDICATOR_KIND) == set(INDICATOR_LEVELS)
    for name in INDICATOR_LEVELS:
        assert Indicator._meta.get_field(name).related_model is LEVELS[name].model


@pytest.mark.parametrize("name", LEVEL_NAMES)
def test_pages_and_api_routes_are_named_after_the_level(name):
    level = LEVELS[name]
    assert reverse(level.url_name, args=[3, 12]) == f"/versions/3/{level.url_segment}/12/"
    assert reverse(f"{level.name}-list") == f"/api/v1/{level.url_segment}/"


def test_the_api_serializers_and_viewsets_follow_the_registry():
    node_serializers = [
        serializers.PrioritySerializer,
        serializers.GoalSerializer,
        serializers.TaskSerializer,
        serializers.MeasureSerializer,
    ]
    for serializer, viewset, level in zip(
        node_serializers, views.NODE_VIEWSETS, LEVELS.values(), strict=True
    ):
        assert serializer.Meta.model is level.model
        assert serializer.parent_field == level.parent_field
        assert level.parent_field in serializer.Meta.fields
        assert viewset.level == level.name
    assert serializers.INDICATOR_OWNERS == INDICATOR_LEVELS


def test_review_threads_and_proposals_store_the_registrys_levels():
    choices = [(level.name, str(level.label)) for level in LEVELS.values()]
    assert [(value, str(label)) for value, label in NodeLevel.choices] == choices
    assert ReviewThread.Level is NodeLevel
    assert ReviewThread._meta.get_field("level").choices == NodeLevel.choices
    assert Proposal._meta.get_field("target_level").choices == NodeLevel.choices


def test_counted_names_decline_with_the_number():
    with translation.override("en"):
        assert LEVELS["goal"].count(1) == "1 goal"
        assert PRIORITY.count(2) == "2 priorities"
    with translation.override("lt"):
        assert [LEVELS["goal"].count(n) for n in (1, 3, 10)] == [
            "1 tikslas",
            "3 tikslai",
            "10 tikslų",
        ]


@pytest.mark.django_db
def test_the_editor_names_its_add_buttons_after_the_level_below(staff_client, draft_version):
    staff_client.cookies["planportal_language"] = "en"
    outline = staff_client.get(reverse("plans:staff-outline", args=[draft_version.pk]))
    html = outline.content.decode()
    for label in ("Add a goal", "Add a task", "Add a measure"):
        assert f">{label}<span" in html
    priority = draft_version.priorities.get(code="A")
    form = staff_client.get(reverse("plans:staff-node-add", args=["priority", priority.pk]))
    assert '<button type="submit" class="button">Add the goal</button>' in form.content.decode()
