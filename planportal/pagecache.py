"""Whole-page cache: the same page rendered once for everyone who sees it alike.

Most readers of the portal read pages that are the same for everyone in
their role: an approved plan version (immutable: the models refuse changes),
a consultation's page with its proposals, the climate overview, the progress
of the plan in force. Such a page is rendered once and its bytes kept in the
cache; the next reader gets them before any database query (anonymous) or,
logged in, after reading the session (with Redis, in the same round trip as
the generations: planportal/sessions.py; the reader's account row and unread
count are then kept by the worker under the "accounts" and "notifications"
counters, so that no query runs either).

Who sees a page alike (the *audience*) is part of the key: anonymous
visitors, or staff, council members, residents and unit members. What is
personal in a logged-in page (the CSRF token, the reader's name, the count
of unread notifications) is rendered as a marker into the shared copy and
filled in for each reader (``_personalise``); a page that shows anything else
of its reader (their name elsewhere, their e-mail address, their CSRF token
outside the known places) is not kept (``_looks_personal``), so that nobody is
ever served someone else's page.

A page is kept only when its view says so (``mark_cacheable``), and every key
holds *generation numbers*: one for everything (``bump()``) and one per part
of the portal (``bump("consultations")`` …, raised by every write of that
app's models: planportal/apps.py connects the signals). A write retires, at
once and on every app server, the pages that show what it changed. The
generations live in a cache shared by every worker (Redis, or the database's
cache table without it), and so does every page; each worker also keeps the
pages it served in its own memory (the "pages" cache), so that a hit costs
one read of the generations and no copy of the page over the network.

A page that is not in the cache is rendered by one request at a time
(single flight): the others arriving meanwhile wait for its bytes for a
short while, so that a crowd arriving right after a bump renders it once.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
import time
from functools import cache as memoize
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, stable since 4.0
    _unmask_cipher_token,
    get_token,
)
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape

# The generation of everything: ``bump()`` retires every cached page.
GENERATION_KEY = "pagecache:generation"
# One generation per part of the portal whose writes change public pages.
# "drafts" is every write of the plans app (drafts are edited all day): only
# logged-in pages depend on it (staff see the action plans' drafts beside an
# approved development plan); anonymous pages never show a draft.
SCOPES = ("consultations", "climate", "monitoring", "council", "reports", "review", "drafts")
PUBLIC_SCOPES = tuple(scope for scope in SCOPES if scope != "drafts")
# Counters that retire no page but what a worker keeps of a logged-in reader:
# "accounts" (their account row and role, accounts/backends.py) and
# "notifications" (their unread count, notifications/selectors.py). Read with
# the scopes' generations, in the same round trip as the session where it
# lives in the same store (planportal/sessions.py).
READER_COUNTERS = ("accounts", "notifications")
COUNTERS = (*SCOPES, *READER_COUNTERS)
ANONYMOUS_AUDIENCE = "anonymous"

# Cookies that do not change what an anonymous page shows. Anything else
# (a session, a pending message) means the page may be personal.
NEUTRAL_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}

# The markers a shared copy of a logged-in page carries where each reader's
# own values go. Not HTML: a template could not produce them by accident.
CSRF_MARK = "\x1bpp-csrf\x1b"
NAME_MARK = "\x1bpp-name\x1b"
BADGE_MARK = "\x1bpp-badge\x1b"
_CSRF_IN_PAGE = re.compile(
    rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]{64}(")'
)
_TOKEN_LIKE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")

# Single flight: how long a render may hold a page's lock, how long others wait.
LOCK_SECONDS = 30
WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.02


# --- Generations -------------------------------------------------------------------


def _shared():
    return caches["shared"]


def _local():
    return caches["pages"]


def _incr(key: str, first: int = 2) -> None:
    store = _shared()
    try:
        store.incr(key)
    except ValueError:
        # The first bump (or the key expired): any value but the default 1.
        if not store.add(key, first, None):
            store.incr(key)


def bump(*scopes: str) -> None:
    """Retire cached pages: every page without arguments, else the pages that
    show what those parts of the portal keep (``SCOPES``)."""
    unknown = set(scopes) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown page cache scopes: {sorted(unknown)}")
    for key in [GENERATION_KEY] if not scopes else [_scope_key(s) for s in scopes]:
        _incr(key)


_pending = threading.local()


def bump_on_commit(*scopes: str) -> None:
    """Retire now and again when the transaction commits.

    Now, so that this request's next read (and a test inside a transaction)
    sees the change; again after the commit, because a reader who rendered
    the page between the two would have kept the old rows under the new
    generation. The second bump is registered once per transaction.
    """
    bump(*scopes)
    if not connection.in_atomic_block:
        return
    outermost = id(connection.atomic_blocks[0])
    pending = _pending.__dict__.setdefault("keys", set())
    wanted = {(outermost, scope) for scope in scopes or ("*",)} - pending
    if not wanted:
        return
    pending.update(wanted)

    def after_commit() -> None:
        pending.difference_update(wanted)
        bump(*scopes)

    transaction.on_commit(after_commit)


def _scope_key(scope: str) -> str:
    return f"{GENERATION_KEY}:{scope}"


def generations(scopes) -> tuple[int, ...]:
    """The current generation of everything and of each scope, in one read."""
    keys = [GENERATION_KEY, *(_scope_key(s) for s in scopes)]
    found = _shared().get_many(keys)
    return tuple(found.get(key, 1) for key in keys)


def counter_keys() -> list[str]:
    """The keys of every counter a request may need (``COUNTERS``)."""
    return [GENERATION_KEY, *(_scope_key(s) for s in COUNTERS)]


def counters_from(found: dict) -> dict[str, int]:
    """The counters as a ``get_many`` of ``counter_keys()`` found them; "*" is
    the generation of everything."""
    return {
        "*": found.get(GENERATION_KEY, 1),
        **{scope: found.get(_scope_key(scope), 1) for scope in COUNTERS},
    }


def sessions_hold_counters() -> bool:
    """Whether the sessions' cache is the store the counters live in (Redis
    in production), so that one ``get_many`` reads both."""
    return settings.CACHES[settings.SESSION_CACHE_ALIAS] == settings.CACHES["shared"]


def request_counters(request) -> dict[str, int]:
    """Every counter, read once per request: with the session when the
    session lives where they do (planportal/sessions.py), else now."""
    counters = _known_counters(request)
    if counters is None:
        counters = counters_from(_shared().get_many(counter_keys()))
    request._planportal_counters = counters
    return counters


def _known_counters(request) -> dict[str, int] | None:
    """The counters this request already read (itself, or with its session)."""
    counters = getattr(request, "_planportal_counters", None)
    if counters is None:
        counters = getattr(getattr(request, "session", None), "prefetched_counters", None)
    return counters


def reader_counters() -> dict[str, int] | None:
    """The counters of the request being answered, if its session already
    read them (none for a request without one, or outside a request): what
    accounts/backends.py checks its copy of the reader's account against."""
    from security.context import current_request

    request = current_request()
    return None if request is None else _known_counters(request)


@memoize
def release() -> str:
    """A fingerprint of the templates and compiled translations.

    Part of every key, so a deployment that changes a template or a
    translation never serves pages rendered by the previous release (a shared
    Redis outlives the app servers).
    """
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / "templates"]
    roots += [Path(path) for path in settings.LOCALE_PATHS]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in {".html", ".mo", ".txt"} and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# --- Views ------------------------------------------------------------------------------


def mark_cacheable(response, *, until: datetime.datetime | None = None):
    """Let the page cache keep this response (for at most ``until``, when the
    page shows something that changes with time, e.g. a consultation's end)."""
    response._planportal_cacheable = True
    if until is not None:
        response._planportal_until = until
    return response


def audience_of(request) -> str | None:
    """Who sees this request's pages alike, or None when it may not be shared.

    A logged-in reader's pages differ by role (the menu, what else they may
    read) and, for residents, by being a member of a unit (the menu). Pending
    messages are shown once to their reader: such a response is never shared.
    """
    if request.method not in {"GET", "HEAD"} or getattr(request, "htmx", False):
        return None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS_AUDIENCE if not (set(request.COOKIES) - NEUTRAL_COOKIES) else None
    storage = getattr(request, "_messages", None)
    if storage is not None and len(storage):
        return None
    from planportal.roles import RESIDENT, role_of

    role = role_of(user)
    if role == RESIDENT:
        from monitoring.permissions import is_unit_member

        return f"{role}:unit" if is_unit_member(user) else role
    return role


def page_cache(*, scopes=PUBLIC_SCOPES, logged_in: bool = True):
    """Serve the view's cacheable pages from the cache.

    ``scopes`` are the parts of the portal the page shows (each write there
    retires it); ``logged_in=False`` keeps anonymous pages only (pages that
    show logged-in readers their own things: their proposals, their drafts).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            audience = audience_of(request)
            if audience is None or (audience != ANONYMOUS_AUDIENCE and not logged_in):
                return view(request, *args, **kwargs)
            page_scopes = scopes if audience == ANONYMOUS_AUDIENCE else (*scopes, "drafts")
            if audience == ANONYMOUS_AUDIENCE:
                generation = generations(page_scopes)  # no session: the fewest keys
            else:
                # Read with the session where it lives in the same store: a
                # logged-in hit then costs one round trip, as an anonymous one.
                counters = request_counters(request)
                generation = tuple(counters[s] for s in ("*", *page_scopes))
            key = _key(request, audience, generation)
            body, state = _get(key), "hit"
            if body is None:
                body, response = _render_once(key, request, audience, view, args, kwargs)
                if response is not None:
                    return response
                state = "stored"
            return _serve(request, audience, body, state)

        return wrapper

    return decorator


def anonymous_page_cache(view):
    """The plan's pages: anonymous and logged-in readers alike (the name is
    the first release's, when only anonymous readers were served)."""
    return page_cache()(view)


def _key(request, audience: str, generation: tuple[int, ...]) -> str:
    # The local date: pages say "today" (a consultation's days left).
    raw = (
        f"{request.get_full_path()}|{translation.get_language()}|{audience}|{generation}|"
        f"{timezone.localdate().isoformat()}|{release()}"
    )
    return "pagecache:page:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _get(key: str) -> bytes | None:
    entry = _local().get(key)
    if entry is None and not _one_store():
        entry = _shared().get(key)
        if entry is not None:
            # This worker's copy expires with the shared one (a consultation
            # page must not outlive the consultation's end here either).
            left = int(entry[0] - time.time())
            if left <= 0:
                return None
            _local().set(key, entry, left)
    return None if entry is None else entry[1]


def _set(key: str, body: bytes, timeout: int) -> None:
    entry = (time.time() + timeout, body)
    _local().set(key, entry, timeout)
    if not _one_store():
        _shared().set(key, entry, timeout)


def fetch(key: str):
    """A value ``keep`` stored (this worker's copy first, else the shared one)."""
    return _get(key)


def keep(key: str, value, timeout: int | None = None) -> None:
    """Store ``value`` (bytes, or anything picklable) in both places for
    ``timeout`` seconds; the key must hold a generation (``generations``)."""
    _set(key, value, settings.PAGE_CACHE_SECONDS if timeout is None else timeout)


def _one_store() -> bool:
    return settings.CACHES["shared"] == settings.CACHES["pages"]


RENDERS_KEY = "pagecache:renders"


def _render_once(key, request, audience, view, args, kwargs):
    """Render the page, one request at a time per key (module docstring).

    Returns ``(body, None)`` when a shared copy may be served, or
    ``(None, response)`` for a response that is not kept (an error, a form,
    a page showing its reader).
    """
    lock = key + ":lock"
    holder = _shared().add(lock, 1, LOCK_SECONDS)
    if not holder:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(_POLL_SECONDS)  # waiting for another request's render
            body = _get(key)
            if body is not None:
                return body, None
            if _shared().get(lock) is None:
                break
        # The render failed or takes too long: render without waiting more.
    try:
        if settings.PAGE_CACHE_COUNT_RENDERS:
            _incr(RENDERS_KEY, first=1)  # benchmarks/stampede.py counts renders across workers
        request._pagecache_shared = audience != ANONYMOUS_AUDIENCE
        response = view(request, *args, **kwargs)
        if not _keepable(response):
            return None, _unshare(request, response)
        body = response.content
        if request._pagecache_shared:
            body = _CSRF_IN_PAGE.sub(rb"\1" + CSRF_MARK.encode() + rb"\2", body)
            if _looks_personal(request, body):
                return None, _unshare(request, response)
        _set(key, body, _timeout(response))
        return body, None
    finally:
        request._pagecache_shared = False
        if holder:
            _shared().delete(lock)


def _keepable(response) -> bool:
    return (
        response.status_code == 200
        and getattr(response, "_planportal_cacheable", False)
        and not response.cookies
        and not getattr(response, "streaming", False)
    )


def _timeout(response) -> int:
    timeout = settings.PAGE_CACHE_SECONDS
    until = getattr(response, "_planportal_until", None)
    if until is not None:
        timeout = min(timeout, max(1, int((until - timezone.now()).total_seconds())))
    return timeout


def _looks_personal(request, body: bytes) -> bool:
    """Whether a shared copy would show its reader to others: their name or
    e-mail address outside the markers, or a CSRF token of theirs anywhere."""
    user = request.user
    for value in (user.get_full_name(), user.email):
        if value and len(value) >= 3 and escape(value).encode() in body:
            return True
    secret = request.META.get("CSRF_COOKIE")
    if secret:
        for match in _TOKEN_LIKE.finditer(body):
            if _unmask_cipher_token(match.group().decode()) == secret:
                return True
    return False


def _unshare(request, response):
    """A response not kept: served to its own reader, markers filled in."""
    if request._pagecache_shared and not getattr(response, "streaming", False):
        response.content = _personalise(request, response.content, served=False)
    return response


def _serve(request, audience: str, body: bytes, state: str) -> HttpResponse:
    if audience != ANONYMOUS_AUDIENCE:
        body = _personalise(request, body, served=state == "hit")
    response = HttpResponse(body)
    patch_vary_headers(response, ("Cookie",))
    # "hit": served from the cache; "stored": rendered now and kept. Who it
    # was kept for: "anonymous", or "shared" by the reader's audience.
    response["X-Page-Cache"] = state
    response["X-Page-Cache-Audience"] = (
        ANONYMOUS_AUDIENCE if audience == ANONYMOUS_AUDIENCE else "shared"
    )
    return response


def _personalise(request, body: bytes, *, served: bool) -> bytes:
    """Fill in the reader's own values. A page served from the cache uses the
    unread count this worker kept under the current "notifications" counter;
    a page rendered now counts (so a render always runs the same queries,
    kept count or not)."""
    from notifications.context_processors import badge_html

    user = request.user
    name = user.get_full_name() or user.get_username()
    return (
        body.replace(CSRF_MARK.encode(), get_token(request).encode())
        .replace(NAME_MARK.encode(), escape(name).encode())
        .replace(
            BADGE_MARK.encode(),
            badge_html(
                user, generation=request_counters(request)["notifications"], recount=not served
            ).encode(),
        )
    )


def is_shared_render(request) -> bool:
    """Whether this request renders a copy shared by its audience (the context
    processors then put markers where the reader's own values go)."""
    return getattr(request, "_pagecache_shared", False)


# --- Writes retire pages ----------------------------------------------------------------

# The apps whose models' writes change what cached pages show, and the scope
# each write bumps. A queryset's update() and bulk_create() send no signal:
# the services that use them bump their scope themselves.
APP_SCOPES = {
    "consultations": "consultations",
    "climate": "climate",
    "monitoring": "monitoring",
    "council": "council",
    "reports": "reports",
    "review": "review",
    "plans": "drafts",
    # Accounts, groups and memberships: a worker's kept account rows.
    "auth": "accounts",
}


def connect_writes() -> None:
    """Connect every model of ``APP_SCOPES``'s apps to its scope's bump
    (planportal/apps.py). History rows follow the rows they record."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    for label, scope in APP_SCOPES.items():
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            receiver = _write_receiver(scope)
            post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"pc:s:{model}")
            post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"pc:d:{model}")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(
                    receiver,
                    sender=field.remote_field.through,
                    weak=False,
                    dispatch_uid=f"pc:m:{model}:{field.name}",
                )


def _write_receiver(scope: str):
    def receiver(sender, **kwargs) -> None:
        if kwargs.get("raw"):  # loaddata: fixtures, not the portal's writes
            return
        bump_on_commit(scope)

    return receiver
