"""The audit trail of a node and the recent changes of a version (reads in plans/history.py)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from plans import history

from .common import get_node, get_version, level_name, staff_required, version_breadcrumbs


@staff_required
def node_history(request, level, pk):
    node = get_node(level, pk)
    version = node.version
    return render(
        request,
        "plans/staff/node_history.html",
        {
            "version": version,
            "node": node,
            "level": level,
            "level_name": level_name(level, version),
            "entries": history.node_history(level, node),
            "breadcrumbs": version_breadcrumbs(
                version,
                (
                    f"{node.code} {node.title}",
                    reverse("plans:staff-node-edit", args=[level, node.pk]),
                ),
            ),
        },
    )


@staff_required
def recent_changes(request, version_id):
    version = get_version(version_id)
    page, entries = history.version_recent_changes(version, request.GET.get("page"))
    return render(
        request,
        "plans/staff/recent_changes.html",
        {
            "version": version,
            "page": page,
            "entries": entries,
            "breadcrumbs": version_breadcrumbs(version),
        },
    )
