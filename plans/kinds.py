"""The kinds of plan a municipality keeps, described once.

The seed's 2013–2020 strategic development plan (``spp_2013``) and the two
documents today's law asks for (docs/planning-law.md): the development plan
(``development``, up to ten years) and the three-year strategic action plan
(``action``, SVP). Every kind has the same four-level tree
(``plans.levels``: priority → goal → task → measure, the names the code, the
URLs and the API use); what differs is read from here:

- the words a reader sees for each level ("Programa" for an action plan's
  top level), so that pages, the editor, the PDF and the API speak the kind's
  language while the contract's names stay the same;
- the numbering a new plan of the kind gets by default;
- the indicator kinds each level may carry, and the one a new indicator gets;
- the fields of a measure the kind uses (an action plan's measure is a
  progress measure or a continuing activity, names the development plan's
  goals or tasks it implements and has an appropriation manager).

Like ``plans.levels`` this module imports no model, so that the models can
build on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from plans.levels import LEVELS, Level


class PlanKind(models.TextChoices):
    SPP_2013 = "spp_2013", _("Strategic development plan (2013–2020 generation)")
    DEVELOPMENT = "development", _("Development plan")
    ACTION = "action", _("Strategic action plan")


class IndicatorKind(models.TextChoices):
    """What an indicator measures, from the broadest: the change in society a
    plan aims at (impact) to what a measure produces (output)."""

    IMPACT = "impact", _("Impact")
    EFFECT = "effect", _("Effect")
    RESULT = "result", _("Result")
    OUTPUT = "output", _("Output")


# The measure fields a kind may use beyond title and description; the
# services refuse the others for that kind's measures, the editor and the
# API leave them out.
MEASURE_FIELDS = (
    "kind",  # progress measure or continuing activity
    "implements",  # keys of a development plan's goals or tasks
    "responsible_unit",
    "appropriation_manager",
    "co_executors",
    "start_year",
    "end_year",
    "funding",
)


@dataclass(frozen=True)
class KindLevel:
    """One level of the tree as a kind of plan names and measures it."""

    label: Promise
    plural_label: Promise
    add_label: Promise
    submit_label: Promise
    count_label: Promise
    indicator_kinds: tuple[str, ...] = ()
    """The indicator kinds (``IndicatorKind`` values) the level's nodes may carry."""

    @property
    def default_indicator_kind(self) -> str | None:
        return self.indicator_kinds[0] if self.indicator_kinds else None

    @property
    def has_indicators(self) -> bool:
        return bool(self.indicator_kinds)

    def count(self, number: int) -> str:
        return self.count_label % {"count": number}


@dataclass(frozen=True, eq=False)
class Kind:
    name: str
    label: Promise
    default_numbering: str
    """A ``NumberingStyle`` value."""
    levels: dict[str, KindLevel]
    measure_fields: frozenset[str]
    default_years: int
    """The usual length of the period, for the form that creates a plan."""
    description: Promise | str = ""

    def __str__(self) -> str:
        return self.name

    def level(self, level: Level | str) -> KindLevel:
        return self.levels[str(level)]

    def label_of(self, level: Level | str) -> Promise:
        return self.level(level).label

    def level_labels(self) -> list[str]:
        """The display names of the four levels, top first, in the active language."""
        return [str(kind_level.label) for kind_level in self.levels.values()]

    def uses(self, measure_field: str) -> bool:
        return measure_field in self.measure_fields

    def indicator_kinds(self, level: Level | str) -> tuple[str, ...]:
        return self.level(level).indicator_kinds

    def refuse_unused_measure_fields(self, names: Iterable[str]) -> None:
        """ValidationError naming each of ``names`` that this kind's measures lack."""
        unused = sorted(set(names) & set(MEASURE_FIELDS) - self.measure_fields)
        if unused:
            message = gettext("A measure of this kind of plan (%(kind)s) has no such field.") % {
                "kind": self.label
            }
            raise ValidationError(dict.fromkeys(unused, message))

    def refuse_indicator_kind(self, level: Level | str, indicator_kind: str) -> None:
        """ValidationError unless ``indicator_kind`` may be used at ``level``."""
        allowed = self.indicator_kinds(level)
        if indicator_kind not in allowed:
            raise ValidationError(
                {
                    "kind": gettext(
                        "This kind of indicator cannot be used here. Allowed: %(kinds)s."
                    )
                    % {"kinds": ", ".join(str(IndicatorKind(k).label) for k in allowed) or "—"}
                }
            )


def _level(singular, plural, add, submit, count, *indicator_kinds) -> KindLevel:
    return KindLevel(singular, plural, add, submit, count, tuple(indicator_kinds))


def _any_kind(default: str) -> tuple[str, ...]:
    return (default, *(kind for kind in IndicatorKind.values if kind != default))


# The words of the seed's generation, which the rest of PlanPortal has always
# used (plans.levels keeps them as the kind-free default). Its plans predate
# the indicator guidelines: any kind of indicator at any level below the
# priorities, with the domain notes' default first (§2).
_PRIORITY = _level(
    _("Priority"),
    _("Priorities"),
    _("Add a priority"),
    _("Add the priority"),
    ngettext_lazy("%(count)s priority", "%(count)s priorities", "count"),
)
_GOAL = _level(
    _("Goal"),
    _("Goals"),
    _("Add a goal"),
    _("Add the goal"),
    ngettext_lazy("%(count)s goal", "%(count)s goals", "count"),
    *_any_kind("effect"),
)
_TASK = _level(
    _("Task"),
    _("Tasks"),
    _("Add a task"),
    _("Add the task"),
    ngettext_lazy("%(count)s task", "%(count)s tasks", "count"),
    *_any_kind("result"),
)
_MEASURE = _level(
    _("Measure"),
    _("Measures"),
    _("Add a measure"),
    _("Add the measure"),
    ngettext_lazy("%(count)s measure", "%(count)s measures", "count"),
    *_any_kind("output"),
)

SPP_2013 = Kind(
    name=PlanKind.SPP_2013,
    label=PlanKind.SPP_2013.label,
    default_numbering="letters",
    levels={"priority": _PRIORITY, "goal": _GOAL, "task": _TASK, "measure": _MEASURE},
    measure_fields=frozenset(MEASURE_FIELDS) - {"implements", "appropriation_manager"},
    default_years=8,
    description=_(
        "A strategic development plan of the 2013–2020 generation: priorities, goals, "
        "tasks and measures with their funding."
    ),
)

# The development plan (savivaldybės plėtros planas): priorities, goals with
# effect indicators, tasks with result indicators and measures with output
# indicators (docs/planning-law.md, §2).
DEVELOPMENT = Kind(
    name=PlanKind.DEVELOPMENT,
    label=PlanKind.DEVELOPMENT.label,
    default_numbering="digits",
    # The seed's words, each level with the one kind of indicator the
    # guidelines give it; priorities carry none.
    levels={
        "priority": replace(_PRIORITY, indicator_kinds=()),
        "goal": replace(_GOAL, indicator_kinds=(IndicatorKind.EFFECT,)),
        "task": replace(_TASK, indicator_kinds=(IndicatorKind.RESULT,)),
        "measure": replace(_MEASURE, indicator_kinds=(IndicatorKind.OUTPUT,)),
    },
    # Every measure of a development plan is a progress measure (continuing
    # activities live in the action plan only); its money is indicative.
    measure_fields=frozenset(MEASURE_FIELDS) - {"kind", "implements", "appropriation_manager"},
    default_years=10,
    description=_(
        "The municipal development plan (up to ten years): priorities, goals with effect "
        "indicators, tasks with result indicators and measures, carried out through the "
        "strategic action plan's progress measures."
    ),
)

# The strategic action plan (strateginis veiklos planas): programmes, their
# goals, tasks and measures with the appropriations by year and source.
ACTION = Kind(
    name=PlanKind.ACTION,
    label=PlanKind.ACTION.label,
    default_numbering="padded",
    levels={
        "priority": _level(
            _("Programme"),
            _("Programmes"),
            _("Add a programme"),
            _("Add the programme"),
            ngettext_lazy("%(count)s programme", "%(count)s programmes", "count"),
        ),
        "goal": replace(_GOAL, indicator_kinds=(IndicatorKind.EFFECT,)),
        "task": replace(_TASK, indicator_kinds=(IndicatorKind.RESULT,)),
        "measure": replace(_MEASURE, indicator_kinds=(IndicatorKind.OUTPUT,)),
    },
    measure_fields=frozenset(MEASURE_FIELDS),
    default_years=3,
    description=_(
        "The three-year strategic action plan, updated every year: programmes with their "
        "goals, tasks and measures (progress measures that implement the development plan "
        "and continuing activities), appropriations by year and source."
    ),
)

KINDS: dict[str, Kind] = {kind.name: kind for kind in (SPP_2013, DEVELOPMENT, ACTION)}
assert all(tuple(kind.levels) == tuple(LEVELS) for kind in KINDS.values())


def get_kind(name: str | None) -> Kind:
    """The kind called ``name``; a plan saved before kinds existed is ``spp_2013``."""
    return KINDS.get(name or "", SPP_2013)


def kind_of(obj) -> Kind:
    """The kind of a plan, of a version (its plan's) or of a node (its version's plan)."""
    plan = getattr(obj, "plan", None) or getattr(getattr(obj, "version", None), "plan", None) or obj
    return get_kind(getattr(plan, "kind", None))
