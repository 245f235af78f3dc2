"""Whole-page cache for anonymous readers of content that never changes.

Approved and superseded plan versions are immutable, and most of their
readers are anonymous. For them a page is the same for everyone (the pages
carry no CSRF token or name for an anonymous visitor: the language switcher
is a GET form), so the whole response body can be kept in the shared cache
and served before any database query.

A page is cached only when its view says so (``mark_cacheable``), which the
plan views do for immutable versions only. Every key holds a generation
number: any change that can alter what such a page shows (a version's status,
a plan's title, a unit's name) calls ``bump()`` and so retires every cached
page at once, on every app server sharing the cache.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

GENERATION_KEY = "pagecache:generation"
# Cookies that do not change what an anonymous page shows. Anything else
# (a session, a pending message) means the page may be personal.
NEUTRAL_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}


def bump() -> None:
    """Retire every cached page (call after any change public pages show)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, None)


def mark_cacheable(response):
    response._planportal_cacheable = True
    return response


def _key(request, generation) -> str:
    raw = f"{request.get_full_path()}|{translation.get_language()}|{generation}"
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _eligible(request) -> bool:
    return (
        request.method in {"GET", "HEAD"}
        and not (set(request.COOKIES) - NEUTRAL_COOKIES)
        and not getattr(request, "htmx", False)
    )


def anonymous_page_cache(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _eligible(request):
            return view(request, *args, **kwargs)
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            generation = 1
            cache.add(GENERATION_KEY, generation, None)
        key = _key(request, generation)
        body = cache.get(key)
        if body is not None:
            response = HttpResponse(body)
            patch_vary_headers(response, ("Cookie",))
            response["X-Page-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and getattr(response, "_planportal_cacheable", False)
            and not response.cookies
        ):
            cache.set(key, response.content, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapper
