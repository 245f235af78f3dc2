"""The database cache that keeps the abuse limits' counters without Redis.

Django's DatabaseCache needs no server of its own and is shared by every
worker and app server that uses the database, which a per-process cache is
not. Its ``incr``, though, is Django's generic one: read, add, write back
with the default timeout. Two workers counting at the same moment could then
both write the same number, and every increment would move the counter's
expiry to five minutes ahead, whatever the limit's window. ``incr`` here
locks the row first (an UPDATE that changes nothing: PostgreSQL locks the
row, SQLite takes the database's write lock, IMMEDIATE transactions) and
changes the value only, keeping the expiry that ``add`` set.

The table is created by a migration (planportal/migrations/0001), so
``migrate`` is all a deployment runs.
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connections, router, transaction
from django.utils.timezone import now

RATELIMIT_TABLE = "planportal_ratelimit"


class CounterDatabaseCache(DatabaseCache):
    def incr(self, key, delta=1, version=None):
        made_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, key_column = quote(self._table), quote("cache_key")  # type: ignore[attr-defined]
        value_column, expires_column = quote("value"), quote("expires")
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {key_column} = {key_column} WHERE {key_column} = %s",
                [made_key],
            )
            cursor.execute(
                f"SELECT {value_column} FROM {table} WHERE {key_column} = %s AND "
                f"{expires_column} >= %s",
                [made_key, connection.ops.adapt_datetimefield_value(now())],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol))
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {key_column} = %s",
                [encoded.decode("latin1"), made_key],
            )
        return new_value


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, reusing one client object per connection pool.

    Django's client builds a new ``redis.Redis`` for every operation, and
    building one fills a table of some 170 response callbacks: on a cached
    page that was a third of the request's time (three cache reads for a
    logged-in reader). A client is thread-safe and holds no connection of
    its own (the pool does), so one per pool is enough.

    Keys are not checked for memcached's limits either (Django's base class
    warns about keys that memcached would refuse, character by character, on
    every key of every read): Redis takes any key, and a logged-in page from
    the page cache reads fourteen at once.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

    def validate_key(self, key):
        return None


class _ReusingClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client
