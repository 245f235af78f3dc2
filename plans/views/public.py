"""The plan as the public reads it: the version in force, any version the
reader may see, a page per node, an indicator's description card, and a
budget summary.

Approved and superseded versions never change (the models refuse it), so the
parts of their pages that are the same for every reader are rendered once and
kept in the cache. What depends on the reader (the header with their name, the
CSRF token, the list of versions they may see) is rendered on every request,
and drafts are never cached, so that an edit shows at once.
"""

from __future__ import annotations

import datetime
import hashlib
from functools import cache as memoize
from functools import wraps
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from planportal import csvsafe, xlsx
from planportal.extensions import registry
from planportal.pagecache import anonymous_page_cache, mark_cacheable
from planportal.years import YEAR_MAX, YEAR_MIN
from plans import budget
from plans.diff import AgainstError, against_version, version_diff
from plans.kinds import PlanKind
from plans.levels import LEVELS
from plans.models import Measure, PlanVersion, VersionStatus
from plans.selectors import (
    TreeFilter,
    budget_summary,
    filter_tree,
    funding_grid,
    indicator_detail,
    node_detail,
    outline_facets,
    outline_tree,
    plan_page_versions,
    plan_versions_for_user,
    plans_with_current_version,
    tree_facets,
    version_for_user,
    version_tree,
)
from plans.selectors_links import implementing_measures, measure_implements
from plans.selectors_search import search_version
from plans.words import words_for

CACHEABLE_STATUSES = frozenset({VersionStatus.APPROVED, VersionStatus.SUPERSEDED})
# A search page of an immutable version that finds something is kept whole
# this long: readers repeat the common words, a crawler's distinct texts
# leave the cache soon (and never as fragments).
SEARCH_PAGE_SECONDS = 600


class TreeFilterForm(forms.Form):
    """The outline's search form. Choices are offered from the tree itself; an
    id that matches nothing simply finds nothing."""

    q = forms.CharField(label=gettext_lazy("Text"), max_length=200, required=False)
    unit = forms.IntegerField(label=gettext_lazy("Responsible unit"), required=False, min_value=1)
    source = forms.IntegerField(label=gettext_lazy("Funding source"), required=False, min_value=1)
    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=YEAR_MIN, max_value=YEAR_MAX
    )

    def tree_filter(self) -> TreeFilter:
        data = self.cleaned_data
        return TreeFilter(q=data["q"], unit=data["unit"], source=data["source"], year=data["year"])


# --- Cache ------------------------------------------------------------------------


@memoize
def _release() -> str:
    """A fingerprint of the templates and compiled translations of these pages.

    It is part of every cache key, so a deployment that changes a template or
    a translation never serves HTML rendered by the previous release (a
    shared Redis cache outlives the app servers).
    """
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "templates" / "plans"]
    roots += [Path(path) for path in settings.LOCALE_PATHS]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".mo"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cache_key(version, name: str, *parts) -> str:
    plan = version.plan
    # created_at tells apart two versions that got the same id (a database
    # restored from a backup, SQLite reusing ids in tests); the plan's title
    # and period are shown in the fragments and may be corrected by staff.
    raw = repr(
        (version.created_at.isoformat(), plan.title, plan.period_start, plan.period_end, parts)
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()[:24]
    language = translation.get_language()
    return f"plans:public:{_release()}:{name}:{version.pk}:{version.status}:{language}:{digest}"


def _cacheable(version) -> bool:
    return version.status in CACHEABLE_STATUSES


# --- Access -----------------------------------------------------------------------


def readable_version(view):
    """Pass the version the URL names, if the reader may see it.

    A version that is not public is a 403 for a logged-in reader and a
    redirect to the login page for an anonymous one (who may well be a
    council member who has not logged in yet).
    """

    @wraps(view)
    def wrapper(request, version_id, **kwargs):
        try:
            version = version_for_user(request.user, version_id)
        except PermissionDenied:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied(
                _(
                    "This version is not public: only administration staff and council members "
                    "can read it."
                )
            ) from None
        return view(request, version, **kwargs)

    return wrapper


def _version_in_force(version, versions=None):
    """The version in force, when ``version`` is not it (for the banner)."""
    if version.is_in_force:
        return None
    if versions is not None:
        return next((v for v in versions if v.is_in_force), None)
    if version.status == VersionStatus.SUPERSEDED:
        return PlanVersion.objects.in_force_for(version.plan_id)
    return None


# --- Plan and version pages -----------------------------------------------------


def home(request):
    """The portal's front page: every plan with its version in force, and what
    other parts tell of there (a consultation under way: ``HomePanel`` hooks)."""
    panels = [html for panel in registry.home_panels if (html := panel.render(request))]
    return render(request, "home.html", {"plans": plans_with_current_version(), "panels": panels})


@anonymous_page_cache
def plan_detail(request, plan_id):
    plan, version, versions = plan_page_versions(request.user, plan_id)
    if version is None:
        return render(request, "plans/plan_no_version.html", {"plan": plan, "versions": versions})
    return _version_page(request, version, versions, plan_page=True)


@anonymous_page_cache
@readable_version
def version_detail(request, version):
    versions = list(plan_versions_for_user(request.user, version.plan))
    return _version_page(request, version, versions, plan_page=False)


def _version_page(request, version, versions, *, plan_page: bool):
    form = TreeFilterForm(request.GET)
    if form.is_valid():
        flt, status = form.tree_filter(), 200
    else:
        flt, status = TreeFilter(), 400
    context = {
        "plan": version.plan,
        "words": words_for(version.plan),
        "version": version,
        "versions": versions,
        "in_force": _version_in_force(version, versions),
        "plan_page": plan_page,
    }
    context["outline"], reusable = _outline_html(version, flt, form.errors, action=request.path)
    until = None
    if reusable and reusable is not True:
        until = timezone.now() + datetime.timedelta(seconds=reusable)
    context["panels"] = [
        html for panel in registry.version_panels if (html := panel.render(request, version))
    ]
    context["actions"] = [
        html for action in registry.version_actions if (html := action.render(request, version))
    ]
    response = render(request, "plans/version.html", context, status=status)
    if reusable:
        mark_cacheable(response, until=until)
    return response


def _outline_html(version, flt: TreeFilter, errors, *, action: str) -> tuple[str, bool | int]:
    """The vision, the search form and the (filtered) outline.

    Free-text searches are not kept as fragments: every distinct text would
    add an entry, so a crawler could fill the cache with them and push out the
    pages everyone reads; a search of an immutable version that finds
    something may be kept whole for a short while (``SEARCH_PAGE_SECONDS``,
    the second value returned). Unit, source and year filters are cached only
    when they name something the version has, for the same reason. The flag
    returned with the HTML says whether the page may be kept whole.
    """
    cacheable = _cacheable(version) and not errors and not flt.q
    key = _cache_key(version, "outline", action, flt.unit, flt.source, flt.year)
    if cacheable:
        html = cache.get(key)
        if html is not None:
            return html, True

    # A text search lists the nodes that match, ranked; the other filters
    # alone narrow the outline. A search reads the version's search index, not
    # its tree (kept for an immutable version: the page is not, see above).
    search, shown = None, None
    if flt.q.strip():
        index_key = _cache_key(version, "search-index") if _cacheable(version) else None
        search, facets = search_version(version, flt, cache_key=index_key)
        result_count = len(search.results)
    elif flt.unit or flt.source or flt.year:
        tree = version_tree(version)
        facets = tree_facets(tree)
        shown = filter_tree(tree, flt)
        result_count = len(shown.all_measures)
    else:
        # The whole outline shows no funding line, target or link: the
        # lighter tree and the filters' choices read by the database (a plan
        # ten times the demo has 8,660 funding lines to build otherwise).
        shown = outline_tree(version)
        facets = outline_facets(shown)
        result_count = len(shown.all_measures)
    html = render_to_string(
        "plans/includes/outline.html",
        {
            "version": version,
            "words": words_for(version.plan),
            "tree": shown,
            "search": search,
            "facets": facets,
            "filter": flt,
            "errors": errors,
            "action": action,
            "result_count": result_count,
        },
    )
    known = (
        (not flt.unit or any(unit.id == flt.unit for unit in facets["units"]))
        and (not flt.source or any(source.id == flt.source for source in facets["sources"]))
        and (not flt.year or flt.year in facets["years"])
    )
    if cacheable and known:
        cache.set(key, html, settings.PAGE_CACHE_SECONDS)
    if search is not None:
        found = _cacheable(version) and not errors and bool(search.results) and known
        return html, SEARCH_PAGE_SECONDS if found else False
    return html, cacheable and known


# --- Node pages -------------------------------------------------------------------


@anonymous_page_cache
@readable_version
def node_page(request, version, node_id, level):
    key = _cache_key(version, level, node_id)
    page: dict[str, Any] | None = cache.get(key) if _cacheable(version) else None
    if page is None:
        node = node_detail(version, level, node_id)
        child = LEVELS[level].child
        words = words_for(version.plan)
        context = {
            "version": version,
            "plan": version.plan,
            "words": words,
            "node": node,
            "level": level,
            "level_label": words.level(level).label,
            "children_label": words.level(child).plural_label if child else None,
            "child_level": child.name if child else None,
            "funding": funding_grid(node.funding_list) if isinstance(node, Measure) else None,
            # Cached with the page: what the development plan's version in
            # force is changes only with a status change, which bumps the cache.
            "implements": (
                measure_implements(node)
                if isinstance(node, Measure) and version.plan.kind_spec.uses("implements")
                else None
            ),
        }
        page = {
            "title": f"{node.code} {node.title}",
            "breadcrumbs": render_to_string("plans/includes/node_breadcrumbs.html", context),
            "body": render_to_string("plans/includes/node_body.html", context),
            "node_key": node.key,
        }
        if _cacheable(version):
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    context = {
        "version": version,
        "plan": version.plan,
        "in_force": _version_in_force(version),
        "page": page,
        "implemented_by": _implemented_by(request, version, level, page["node_key"]),
    }
    # Other parts' panels (climate impact, the consultation box, review
    # threads) are rendered outside the cached fragments, so they are always
    # current and may depend on who is reading.
    context["panels"] = [
        html
        for panel in registry.node_panels
        if (html := panel.render(request, version, level, node_id, page["node_key"]))
    ]
    response = render(request, "plans/node.html", context)
    return mark_cacheable(response) if _cacheable(version) else response


def _implemented_by(request, version, level, key) -> str:
    """The action plans' measures that implement a development plan's goal or task.

    Outside the cached fragments: it follows other plans' versions (a new
    action plan approved, which bumps the page cache) and the reader (staff
    also see the action plans' drafts).
    """
    if level not in ("goal", "task") or version.plan.kind != PlanKind.DEVELOPMENT:
        return ""
    rows = implementing_measures(request.user, version, key)
    return render_to_string(
        "plans/includes/implemented_by.html", {"implemented_by": rows}, request=request
    )


# --- Indicator cards ------------------------------------------------------------


@anonymous_page_cache
@readable_version
def indicator_page(request, version, indicator_id):
    """An indicator's description card (order 1K-275): every field of the
    card with its label, the targets as a table."""
    key = _cache_key(version, "indicator", indicator_id)
    page: dict[str, Any] | None = cache.get(key) if _cacheable(version) else None
    if page is None:
        card = indicator_detail(version, indicator_id)
        indicator = card.indicator
        context = {
            "version": version,
            "plan": version.plan,
            "indicator": indicator,
            "ancestors": card.ancestors,
            "owner": card.owner,
            "owner_label": version.plan.kind_spec.label_of(card.level),
        }
        page = {
            "title": indicator.name,
            "breadcrumbs": render_to_string("plans/includes/indicator_breadcrumbs.html", context),
            "body": render_to_string("plans/includes/indicator_card.html", context),
        }
        if _cacheable(version):
            cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    context = {
        "version": version,
        "plan": version.plan,
        "in_force": _version_in_force(version),
        "page": page,
    }
    response = render(request, "plans/indicator.html", context)
    return mark_cacheable(response) if _cacheable(version) else response


# --- Budget -----------------------------------------------------------------------


@anonymous_page_cache
@readable_version
def budget_detail(request, version):
    key = _cache_key(version, "budget")
    html = cache.get(key) if _cacheable(version) else None
    if html is None:
        summary = budget_summary(version)
        words = words_for(version.plan)
        html = render_to_string(
            "plans/includes/budget_body.html",
            {
                "version": version,
                "plan": version.plan,
                "words": words,
                "summary": summary,
                "by_year": budget.by_year(summary),
                "by_source": budget.by_source(summary),
                "chart": budget.budget_chart(
                    summary, chart_id="budget-chart", title=_("Planned funding by year, EUR")
                ),
            },
        )
        if _cacheable(version):
            cache.set(key, html, settings.PAGE_CACHE_SECONDS)
    context = {
        "version": version,
        "plan": version.plan,
        "in_force": _version_in_force(version),
        "budget": html,
    }
    response = render(request, "plans/budget.html", context)
    return mark_cacheable(response) if _cacheable(version) else response


def _budget_filename(version, extension: str) -> str:
    return f"plan-{version.plan_id}-version-{version.number}-budget.{extension}"


@readable_version
def budget_csv(request, version):
    """The budget's long table (priority, year, source, amount) as a CSV that
    Excel set to Lithuanian opens as it is: semicolons, decimal commas, a BOM."""
    summary = budget_summary(version)
    return csvsafe.excel_csv_response(
        budget.file_header(words_for(version.plan)),
        budget.file_rows(summary),
        _budget_filename(version, "csv"),
    )


@readable_version
def budget_xlsx(request, version):
    """The long table and the page's two summary tables as a workbook."""
    data = budget.budget_workbook(budget_summary(version), words_for(version.plan))
    response = HttpResponse(data, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_budget_filename(version, "xlsx")}"'
    return response


# --- Comparing two versions ----------------------------------------------------------


@readable_version
def compare_versions(request, version):
    """This version against another one of the same plan (``?against=<id>``).

    Without ``against`` the page only offers the choice; a bad one is a 400
    with the reason and the choice again.
    """
    others = [v for v in plan_versions_for_user(request.user, version.plan) if v.pk != version.pk]
    context = {
        "version": version,
        "plan": version.plan,
        "words": words_for(version.plan),
        "others": others,
        "diff": None,
    }
    status = 200
    raw = request.GET.get("against")
    context["error"] = None
    if raw is not None:
        try:
            against = against_version(request.user, version, raw)
        except AgainstError as error:
            context["error"], status = str(error), 400
        else:
            context["against"] = against
            context["diff"] = version_diff(version, against)
    return render(request, "plans/compare.html", context, status=status)
