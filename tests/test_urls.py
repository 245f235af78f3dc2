"""No URL pattern hides another.

The plans' pages come first in planportal/urls.py (they are read most, and
Django tries the patterns in order on every request). Every other app's
paths must still reach their own views: each route, filled in with sample
values, resolves to the view it names.
"""

from __future__ import annotations

import re
import uuid

from django.urls import URLResolver, converters, get_resolver, resolve
from django.urls.resolvers import RoutePattern

SAMPLES = {
    converters.IntConverter: "7",
    converters.StringConverter: "x",
    converters.SlugConverter: "x-y",
    converters.UUIDConverter: str(uuid.UUID(int=5)),
    converters.PathConverter: "a/b",
}


def routes(patterns, prefix=""):
    """Each route's sample path and its view; regular expressions (the
    admin's, DRF's format suffixes) and unknown converters are left out."""
    for entry in patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            continue
        if any(type(c) not in SAMPLES for c in pattern.converters.values()):
            continue
        path = pattern._route
        for name, converter in pattern.converters.items():
            path = re.sub(rf"<(?:[^>:]+:)?{name}>", SAMPLES[type(converter)], path)
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + path)
        else:
            yield prefix + path, entry.callback


def test_every_route_reaches_its_own_view():
    found = list(routes(get_resolver().url_patterns))
    assert len(found) > 300  # every app's pages and the API
    hidden = [
        f"/{path} goes to {resolve('/' + path)._func_path}"
        for path, view in found
        if resolve("/" + path).func is not view
    ]
    assert not hidden, "\n".join(hidden)
