"""The words a page uses for the levels of one plan's tree.

Every kind of plan has the same four levels (``plans.levels``), but names
them in its own way (``plans.kinds``): an action plan's top level is a
programme, not a priority. A page that knows its plan gets a ``Words`` once
(``words_for(plan)``, or the ``words`` filter of ``plan_tags``) and reads
every level name from it, so that it never says "Prioritetas" about a
programme; ``plans.levels`` keeps the kind-free words for the places that
know no plan (the admin, stored choices).

``Words`` reads nothing from the database: the kind is a field of the plan,
which every page loads with its version.

Besides the level words (``words.priority.label``, ``.plural_label``,
``.add_label``, ``.submit_label``, ``.count(n)``) a few sentences name the
top level in a declined form that a label cannot give ("Funding by
priority and year"); ``words.text`` has them, the kind's own where it names
its top level differently, the seed's otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plans.kinds import Kind, KindLevel, get_kind, kind_of
from plans.levels import LEVELS, Level

# The sentences of the seed's words (every kind whose top level is a priority).
_PRIORITY_TEXT: dict[str, Promise] = {
    "outline_heading": _("Priorities, goals, tasks and measures"),
    "no_top": _("This version has no priorities yet."),
    "new_top": _("New priority"),
    "by_top_and_year": _("By priority and year"),
    "by_top_and_year_caption": _("Funding by priority and year, all sources, EUR"),
    "by_top_and_source": _("By priority and funding source"),
    "by_top_and_source_caption": _("Funding by priority and source, all years, EUR"),
    "each_top": _("Each priority by year and source"),
    # Given the node's code as %(code)s.
    "top_funding_caption": _("Funding of priority %(code)s by year and source, EUR"),
    "top_no_funding": _("No funding has been planned under this priority."),
    "diff_funding_caption": _(
        "Difference in planned funding by priority and source, all years, EUR"
    ),
}

# An action plan's (its top level is a programme).
_PROGRAMME_TEXT: dict[str, Promise] = {
    "outline_heading": _("Programmes, goals, tasks and measures"),
    "no_top": _("This version has no programmes yet."),
    "new_top": _("New programme"),
    "by_top_and_year": _("By programme and year"),
    "by_top_and_year_caption": _("Funding by programme and year, all sources, EUR"),
    "by_top_and_source": _("By programme and funding source"),
    "by_top_and_source_caption": _("Funding by programme and source, all years, EUR"),
    "each_top": _("Each programme by year and source"),
    "top_funding_caption": _("Funding of programme %(code)s by year and source, EUR"),
    "top_no_funding": _("No funding has been planned under this programme."),
    "diff_funding_caption": _(
        "Difference in planned funding by programme and source, all years, EUR"
    ),
}

_TEXT_BY_KIND: dict[str, dict[str, Promise]] = {"action": _PROGRAMME_TEXT}
assert all(set(text) == set(_PRIORITY_TEXT) for text in _TEXT_BY_KIND.values())


@dataclass(frozen=True, eq=False)
class Words:
    """The level words of one kind of plan.

    In a template ``words.goal.plural_label`` (a level by name), in Python
    ``words.level("goal")`` or ``words["goal"]``; ``words.kind`` is the kind.
    """

    kind: Kind

    def __getitem__(self, level: Level | str) -> KindLevel:
        # A template's ``words.priority`` looks the name up here first.
        try:
            return self.kind.level(level)
        except KeyError:
            raise KeyError(level) from None

    def __getattr__(self, name: str) -> KindLevel:
        # ``words.priority`` in Python too; only reached for unknown attributes.
        if name in LEVELS:
            return self.kind.level(name)
        raise AttributeError(name)

    def level(self, level: Level | str) -> KindLevel:
        return self.kind.level(level)

    def name(self, level: Level | str) -> str:
        """The level's name for phrases ("goal", "programme"), in the reader's language.

        The model's lower-case name where the kind uses the seed's word (so
        the phrases read as they always have), the kind's label lower-cased
        where it has its own.
        """
        kind_level = self.kind.level(level)
        default = LEVELS[str(level)]
        if str(kind_level.label) == str(default.label):
            return str(default.verbose_name)
        return str(kind_level.label).lower()

    @cached_property
    def text(self) -> dict[str, Promise]:
        """The sentences that name the top level (see the module's docstring)."""
        return _TEXT_BY_KIND.get(self.kind.name, _PRIORITY_TEXT)

    def phrase(self, name: str, **values) -> str:
        """One of ``text``, with its ``%(…)s`` values filled in."""
        return str(self.text[name]) % values if values else str(self.text[name])


_WORDS: dict[str, Words] = {}


def words_for(obj) -> Words:
    """The words of a plan, of a version (its plan's), of a node, or of a kind's name.

    No query when the plan is loaded with the version (``select_related``).
    """
    if isinstance(obj, Words):
        return obj
    if isinstance(obj, Kind):
        kind = obj
    elif isinstance(obj, str) or obj is None:
        kind = get_kind(obj)
    else:
        kind = kind_of(obj)
    words = _WORDS.get(kind.name)
    if words is None:
        words = _WORDS[kind.name] = Words(kind)
    return words
