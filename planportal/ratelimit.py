"""Abuse limits per client address, and the one way to read and hash that address.

A fixed window per (scope, address): the first hit creates the counter with
the window as its lifetime, each hit increments it atomically (``incr`` is
atomic in Redis and in the per-process cache). The address itself is never
stored, here or anywhere: the counters' keys and the consultations' proposals
hold ``address_hash`` of it, and the counters expire with their window.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The sender's address, from the header the operator trusts (settings).

    The one reader of the address for every abuse limit (these counters and
    the consultations' per-address proposal limit).
    """
    header = getattr(settings, "CONSULTATIONS_ADDRESS_HEADER", "REMOTE_ADDR") or "REMOTE_ADDR"
    value = request.META.get(header) or request.META.get("REMOTE_ADDR") or ""
    # A proxy's X-Forwarded-For may hold a list: the client can write the
    # first entries itself, only the last one is the address the proxy saw.
    return value.split(",")[-1].strip()


def address_hash(address: str | None) -> str:
    """A keyed hash of a client address: enough to count, useless to trace.

    Proposals store it for the per-address limit, so it must not change
    between releases (the same address must give the same hash next week).
    No address gives "".
    """
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def allow(*, scope: str, key: str, limit: tuple[int, int]) -> bool:
    """Count one attempt of the address ``key`` in ``scope``; False once over ``limit``.

    ``limit`` is (attempts, seconds); attempts 0 switches the limit off.
    """
    attempts, seconds = limit
    if attempts <= 0:
        return True
    window = int(time.time() // seconds)
    cache_key = f"ratelimit:{scope}:{address_hash(key)}:{window}"
    cache.add(cache_key, 0, timeout=seconds)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The counter expired between add and incr: this is the first hit.
        cache.add(cache_key, 1, timeout=seconds)
        count = 1
    return count <= attempts


def allow_address(request, *, scope: str, limit: tuple[int, int]) -> bool:
    return allow(scope=scope, key=client_address(request), limit=limit)
