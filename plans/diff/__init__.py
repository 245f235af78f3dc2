"""What changed between two versions of a plan.

Pure functions over two ``selectors.VersionTree`` objects (each loaded in a
fixed number of queries), so a comparison costs the same number of queries
however large the plan is.

Nodes and indicators are matched by their ``key``, never by their code:
codes are positional and change whenever a sibling is inserted, deleted or
moved before them. A node present in both versions under another code is
"renumbered"; under another parent it is "moved". Funding lines are matched
by (year, source code).

The direction is always "this" (newer) against "other" (older): ``added``
holds nodes of this version that the other one lacks.

The results are in ``results``, the comparison of two loaded trees in
``compare``, the word diff of texts in ``words``; the loading, with the
reader's permissions, is here.
"""

from __future__ import annotations

from django.utils.translation import gettext

from planportal.errors import Refusal
from plans.selectors import version_tree, versions_visible_to
from plans.selectors_links import label_links

from .compare import diff_trees
from .results import (
    FieldChange,
    FundingChange,
    FundingOverall,
    FundingTotal,
    IndicatorChange,
    NodeChange,
    NodeEntry,
    TargetChange,
    VersionDiff,
)
from .words import Segment, word_diff

__all__ = [
    "AgainstError",
    "FieldChange",
    "FundingChange",
    "FundingOverall",
    "FundingTotal",
    "IndicatorChange",
    "NodeChange",
    "NodeEntry",
    "Segment",
    "TargetChange",
    "VersionDiff",
    "against_version",
    "diff_trees",
    "version_diff",
    "word_diff",
]


# --- Loading ------------------------------------------------------------------------


class AgainstError(Refusal, ValueError):
    """The version to compare with is missing or unusable; the message says why.

    Invalid input (400); still a ``ValueError`` for callers that catch that.
    """


def against_version(user, version, raw):
    """The version ``raw`` (a query-string value) names, to compare ``version``
    with: a version of the same plan that ``user`` may read.

    A version the user may not read is reported like an unknown one, so that
    the answer does not reveal which internal drafts exist.
    """
    if raw is None or str(raw).strip() == "":
        raise AgainstError(gettext("Say which version to compare with: ?against=<version id>."))
    try:
        against_id = int(str(raw).strip())
    except ValueError:
        raise AgainstError(gettext("“against” must be the number (id) of a version.")) from None
    other = versions_visible_to(user).filter(pk=against_id).first()
    if other is None:
        raise AgainstError(
            gettext("There is no version %(id)s that you may read.") % {"id": against_id}
        )
    if other.plan_id != version.plan_id:
        raise AgainstError(gettext("Version %(id)s belongs to another plan.") % {"id": against_id})
    return other


def version_diff(version, against) -> VersionDiff:
    """Load both versions' trees (a fixed number of queries each) and compare them."""
    this_tree, other_tree = version_tree(version), version_tree(against)
    label_links(version.plan, [*this_tree.all_measures, *other_tree.all_measures])
    return diff_trees(this_tree, other_tree)
