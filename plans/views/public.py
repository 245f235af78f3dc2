from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..models import Plan
from ..selectors import current_version, version_for_user, version_tree


def plan_detail(request, plan_id):
    plan = get_object_or_404(Plan, pk=plan_id)
    version = current_version(plan)
    if version is None:
        raise Http404
    return _render_version(request, version)


def version_detail(request, version_id):
    return _render_version(request, version_for_user(request.user, version_id))


def _render_version(request, version):
    tree = version_tree(version)
    return render(request, "plans/version.html", {"version": version, "plan": version.plan, "tree": tree})
