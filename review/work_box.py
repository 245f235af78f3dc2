"""Review's box at the head of a version's outline and page (a ``VersionWorkBox``).

The open review threads, per item, with a link to each item's threads and
to the version's review page: staff learn there what the council remarked
without opening every item. Staff and council only (threads are internal),
so the box never reaches a cached public page.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from review import services


def render(request, version) -> str:
    if not (services.can_read_threads(request.user) and version.status in services.THREAD_STATUSES):
        return ""
    items = services.open_thread_counts(version)
    if not items:
        return ""
    return render_to_string(
        "review/work_box.html",
        {"version": version, "items": items, "total": sum(item.count for item in items)},
        request=request,
    )
