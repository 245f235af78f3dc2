"""Sessions in the cache, read in one round trip with the page cache's counters.

With Redis (REDIS_URL), sessions live in the same store as the page cache's
generation numbers (planportal/pagecache.py). A logged-in reader's page
needs both: the session to know who reads, the generations to find the
page's key, and the "accounts" and "notifications" counters to trust what
this worker kept of the reader (their account row, their unread count). One
``get_many`` reads them all when the session is loaded, so that a page
served from the page cache costs a logged-in reader one round trip to Redis
and no query, as it costs an anonymous reader.

Otherwise it is Django's cache session store unchanged: where the session's
cache is not the counters' store, ``load`` reads the session alone.
"""

from __future__ import annotations

from django.contrib.sessions.backends import cache as cache_sessions
from django.core.cache.backends.base import BaseCache

from planportal import pagecache


class SessionStore(cache_sessions.SessionStore):
    _cache: BaseCache  # Django's own store sets it; the stubs do not declare it

    #: The page cache's counters (``pagecache.counters_from``) as read with
    #: this session; None until it is loaded, or when they live elsewhere.
    prefetched_counters: dict[str, int] | None = None

    def load(self):
        if not pagecache.sessions_hold_counters():
            return super().load()
        keys = pagecache.counter_keys()
        try:
            found = self._cache.get_many([self.cache_key, *keys])
        except Exception:
            # As Django's own load: a key the backend refuses resets the session.
            found = {}
        else:
            self.prefetched_counters = pagecache.counters_from(found)
        session_data = found.get(self.cache_key)
        if session_data is not None:
            return session_data
        self._session_key = None
        return {}
