"""Abuse limits per client address, and the one way to read and hash that address.

The counting is django-ratelimit's (a window per scope and address, an
atomic increment). Its counters live in the ``ratelimit`` cache
(``RATELIMIT_USE_CACHE``), which is shared by every worker and every app
server: Redis when ``REDIS_URL`` is set, otherwise a table of the portal's
database (planportal/cache.py). A per-process cache would give each worker
its own counters, so that N workers let N times the limit through; the
deployment check warns about one (planportal/checks.py).

The address itself is never stored, here or anywhere: the counters' keys, the
consultations' proposals and the login lockout (accounts/lockout.py) hold
``address_hash`` of it, and the counters expire with their window.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)

# Headers that only a proxy adds: their presence with the address read from
# REMOTE_ADDR means that every client is counted as the proxy.
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")
_proxy_warned = False


def _trusted_peer(peer: str) -> bool:
    """Whether ``peer`` (REMOTE_ADDR) is one of PLANPORTAL_TRUSTED_PROXIES.

    No list trusts every peer: then the app server must be reachable only
    through the proxy (the deployment check warns, planportal.W003).
    """
    networks = getattr(settings, "PLANPORTAL_TRUSTED_PROXIES", [])
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network, strict=False) for network in networks)


def _warn_proxy_ignored(request) -> None:
    global _proxy_warned
    if _proxy_warned or settings.DEBUG:
        return
    if any(request.META.get(header) for header in _PROXY_HEADERS):
        _proxy_warned = True
        logger.warning(
            "Requests come through a proxy (they carry X-Forwarded-For or X-Real-IP), but "
            "PLANPORTAL_CLIENT_ADDRESS_HEADER is REMOTE_ADDR: every client is counted as the "
            "proxy by the abuse limits and the login lockout. Set it to the header the proxy "
            "writes (docs/security/login.md)."
        )


def client_address(request) -> str:
    """The sender's address, from the header of the trusted proxy (settings).

    The one reader of the address for every abuse limit (these counters, the
    login lockout and the consultations' per-address proposal limit). With
    PLANPORTAL_CLIENT_ADDRESS_HEADER = REMOTE_ADDR (clients connect directly)
    no header a client sends is read. With a proxy's header, it is read only
    from a peer in PLANPORTAL_TRUSTED_PROXIES (when that list is set); from
    any other peer, and when the header is missing, the peer's own address
    counts.
    """
    peer = request.META.get("REMOTE_ADDR") or ""
    header = getattr(settings, "PLANPORTAL_CLIENT_ADDRESS_HEADER", "REMOTE_ADDR") or "REMOTE_ADDR"
    if header == "REMOTE_ADDR":
        _warn_proxy_ignored(request)
        return peer.strip()
    value = request.META.get(header) if _trusted_peer(peer) else None
    # A proxy's X-Forwarded-For may hold a list: the client can write the
    # first entries itself, only the last one is the address the proxy saw.
    return (value or peer).split(",")[-1].strip()


def address_hash(address: str | None) -> str:
    """A keyed hash of a client address: enough to count, useless to trace.

    Proposals store it for the per-address limit, so it must not change
    between releases (the same address must give the same hash next week).
    No address gives "".
    """
    if not address:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def pseudonymous_address(request) -> str | None:
    """The client's ``address_hash`` written as an IPv6 address (128 bits).

    django-axes keeps the address of failed logins in an IP address column;
    this gives it a value that counts like the address and is no address
    (AXES_CLIENT_IP_CALLABLE), so that the portal still stores none.
    """
    digest = address_hash(client_address(request))
    if not digest:
        return None
    return str(ipaddress.IPv6Address(int(digest, 16)))


def _address_key(group: str, request) -> str:
    return address_hash(client_address(request))


def allow_address(request, *, scope: str, limit: tuple[int, int]) -> bool:
    """Count one attempt of the request's address in ``scope``; False once over ``limit``.

    ``limit`` is (attempts, seconds); attempts 0 switches the limit off.
    """
    attempts, seconds = limit
    if attempts <= 0:
        return True
    return not is_ratelimited(
        request,
        group=f"planportal:{scope}",
        key=_address_key,
        rate=f"{attempts}/{seconds}s",
        method=ALL,
        increment=True,
    )
