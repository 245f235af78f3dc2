"""The four levels of a plan's tree, described once.

A version's vision sits above priority → goal → task → measure. What differs
from level to level (the model, the field that points at the parent, the
level below, the words a reader sees, the URL of a node's public page) is
read from this registry by the services, selectors, views, API, audit trail
and comparison of ``plans`` and by the apps that point at nodes (review
threads, consultation proposals), so that they cannot disagree.

This module imports no model: ``plans.models`` builds on it, and each
``Level`` finds its model through Django's app registry when asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, cast

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

if TYPE_CHECKING:
    from plans.models import Goal, Measure, Priority, Task

    # One of the four concrete node models (each has ``version``, ``key`` …).
    NodeModel: TypeAlias = type[Priority] | type[Goal] | type[Task] | type[Measure]
    # A node of any level: an instance of one of those models.
    AnyNode: TypeAlias = Priority | Goal | Task | Measure

TOP_PARENT_FIELD = "version"


@dataclass(frozen=True, eq=False)
class Level:
    name: str
    """The level's name in URLs, the API (``level``), templates and stored rows."""
    model_name: str
    """The model of the ``plans`` app that holds the level's nodes."""
    parent_field: str
    """The foreign key to the parent node (``version`` for a priority), as the API names it."""
    child_name: str | None
    """The level below, or None for the lowest."""
    label: Promise
    """The level as a heading: "Goal"."""
    plural_label: Promise
    """A list of the level's nodes: "Goals"."""
    add_label: Promise
    """The editor's button that opens the form for a new node of this level."""
    submit_label: Promise
    """The button of that form."""
    count_label: Promise
    """ "%(count)s goals", declined with the number (use ``count``)."""
    url_segment: str
    """The plural in URLs: /versions/1/goals/5/ and /api/v1/goals/."""
    default_indicator_kind: str | None
    """The kind (an ``IndicatorKind`` value) a new indicator of a node of this
    level gets (domain notes, §2); None where nodes have no indicators."""

    def __str__(self) -> str:
        return self.name

    @property
    def model(self) -> NodeModel:
        return cast("NodeModel", apps.get_model("plans", self.model_name))

    @property
    def verbose_name(self):
        """The model's lower-case name, for phrases: "goal"."""
        return self.model._meta.verbose_name

    @property
    def url_name(self) -> str:
        """The public page of a node: ``reverse(level.url_name, args=[version_id, node_id])``."""
        return f"plans:{self.name}"

    @property
    def is_top(self) -> bool:
        return self.parent_field == TOP_PARENT_FIELD

    @property
    def has_indicators(self) -> bool:
        return self.default_indicator_kind is not None

    @property
    def parent(self) -> Level | None:
        return None if self.is_top else LEVELS[self.parent_field]

    @property
    def child(self) -> Level | None:
        return LEVELS[self.child_name] if self.child_name else None

    @property
    def ancestors(self) -> tuple[Level, ...]:
        """The levels above this one, top first."""
        chain: list[Level] = []
        level = self.parent
        while level is not None:
            chain.insert(0, level)
            level = level.parent
        return tuple(chain)

    @property
    def descendants(self) -> tuple[Level, ...]:
        """The levels below this one, nearest first."""
        chain = []
        level = self.child
        while level is not None:
            chain.append(level)
            level = level.child
        return tuple(chain)

    @property
    def ancestors_lookup(self) -> str | None:
        """The ``select_related`` path that loads a node's ancestors with it
        (``"task__goal__priority"`` for a measure), None for the top level."""
        return self.lookup_to(self.ancestors[0]) if self.ancestors else None

    def lookup_to(self, ancestor: Level) -> str:
        """The ORM path from a node of this level to its ``ancestor``:
        ``MEASURE.lookup_to(PRIORITY) == "task__goal__priority"``."""
        path = []
        level = self
        while level is not None and level != ancestor:
            path.append(level.parent_field)
            level = level.parent
        if level is None:
            raise ValueError(f"{ancestor} is not above {self}")
        return "__".join(path)

    def count(self, number: int) -> str:
        return self.count_label % {"count": number}

    def of(self, node) -> bool:
        """Whether ``node`` is a node of this level."""
        return isinstance(node, self.model)


PRIORITY = Level(
    name="priority",
    model_name="Priority",
    parent_field=TOP_PARENT_FIELD,
    child_name="goal",
    label=_("Priority"),
    plural_label=_("Priorities"),
    add_label=_("Add a priority"),
    submit_label=_("Add the priority"),
    count_label=ngettext_lazy("%(count)s priority", "%(count)s priorities", "count"),
    url_segment="priorities",
    # Priorities are measured through their goals.
    default_indicator_kind=None,
)
GOAL = Level(
    name="goal",
    model_name="Goal",
    parent_field="priority",
    child_name="task",
    label=_("Goal"),
    plural_label=_("Goals"),
    add_label=_("Add a goal"),
    submit_label=_("Add the goal"),
    count_label=ngettext_lazy("%(count)s goal", "%(count)s goals", "count"),
    url_segment="goals",
    default_indicator_kind="effect",
)
TASK = Level(
    name="task",
    model_name="Task",
    parent_field="goal",
    child_name="measure",
    label=_("Task"),
    plural_label=_("Tasks"),
    add_label=_("Add a task"),
    submit_label=_("Add the task"),
    count_label=ngettext_lazy("%(count)s task", "%(count)s tasks", "count"),
    url_segment="tasks",
    default_indicator_kind="result",
)
MEASURE = Level(
    name="measure",
    model_name="Measure",
    parent_field="task",
    child_name=None,
    label=_("Measure"),
    plural_label=_("Measures"),
    add_label=_("Add a measure"),
    submit_label=_("Add the measure"),
    count_label=ngettext_lazy("%(count)s measure", "%(count)s measures", "count"),
    url_segment="measures",
    default_indicator_kind="output",
)

# Top first; a dict keeps that order for iteration.
LEVELS: dict[str, Level] = {level.name: level for level in (PRIORITY, GOAL, TASK, MEASURE)}
LEVEL_NAMES: tuple[str, ...] = tuple(LEVELS)
# The levels whose nodes have indicators; ``Indicator`` has a foreign key named after each.
INDICATOR_LEVELS: tuple[str, ...] = tuple(n for n, level in LEVELS.items() if level.has_indicators)

# For model fields that store a level (review threads, proposals' targets).
# Members given as (name, (value, label)), which Django's functional API
# takes and django-stubs does not describe.
NodeLevel = models.TextChoices(  # type: ignore[call-overload]
    "NodeLevel", [(level.name.upper(), (level.name, level.label)) for level in LEVELS.values()]
)


def get_level(name) -> Level | None:
    """The level called ``name``, or None for anything else (a URL's typo)."""
    return LEVELS.get(name) if isinstance(name, str) else None


def level_of(node) -> Level:
    """The level of a node, or of a node model."""
    model_name = node.__name__ if isinstance(node, type) else type(node).__name__
    for level in LEVELS.values():
        if level.model_name == model_name:
            return level
    raise ValueError(f"{node!r} is not a node of a plan's tree")
