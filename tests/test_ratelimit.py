"""The abuse limits: counters shared by every worker, the client's address
read only from the trusted proxy's header, and the deployment's warnings."""

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from planportal import checks, ratelimit
from planportal.cache import RATELIMIT_TABLE, CounterDatabaseCache

ROOT = Path(__file__).resolve().parent.parent
WORKER = """
import django
django.setup()
from django.test import RequestFactory
from planportal.ratelimit import allow_address
request = RequestFactory().post("/accounts/password/reset/", REMOTE_ADDR="192.0.2.5")
print(sum(allow_address(request, scope="email", limit=(10, 3600)) for _ in range(8)))
"""


def _production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DEBUG"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": "planportal.settings", **extra})
    return env


def test_two_worker_processes_share_one_count_by_default():
    """The production default without REDIS_URL: 16 tries in two processes, 10 pass.

    (With the former per-process cache each worker let its own 10 through.)
    """
    with tempfile.TemporaryDirectory() as folder:
        env = _production_env(DATABASE_URL=f"sqlite:///{folder}/workers.sqlite3")
        created = subprocess.run(
            [sys.executable, "manage.py", "createcachetable"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert created.returncode == 0, created.stderr
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    assert sum(int(out.strip()) for out, _err in outputs) == 10


def _database_cache():
    return CounterDatabaseCache(RATELIMIT_TABLE, {})


@pytest.mark.django_db
def test_the_database_counter_keeps_its_window_and_counts_for_every_client():
    first, second = _database_cache(), _database_cache()  # two workers' clients
    assert first.add("n", 0, timeout=3600)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {RATELIMIT_TABLE}")
        (expires,) = cursor.fetchone()
    assert [first.incr("n"), second.incr("n"), first.incr("n")] == [1, 2, 3]
    assert second.get("n") == 3
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT expires FROM {RATELIMIT_TABLE}")
        # Django's generic incr would have moved it to five minutes from now.
        assert cursor.fetchone() == (expires,)
    with pytest.raises(ValueError):
        first.incr("never-added")


@pytest.mark.django_db
def test_the_limits_count_in_the_ratelimit_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "planportal.cache.CounterDatabaseCache",
            "LOCATION": RATELIMIT_TABLE,
        },
    }
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.5")
    allowed = [ratelimit.allow_address(request, scope="t", limit=(2, 60)) for _ in range(3)]
    assert allowed == [True, True, False]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {RATELIMIT_TABLE}")
        rows = cursor.fetchall()
    assert len(rows) == 1 and "192.0.2.5" not in str(rows)
    assert isinstance(caches["ratelimit"], CounterDatabaseCache)


def _request(peer, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=peer, **headers)


def test_without_a_proxy_no_header_a_client_sends_is_read(settings):
    settings.PLANPORTAL_CLIENT_ADDRESS_HEADER = "REMOTE_ADDR"
    request = _request("192.0.2.7", HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_REAL_IP="1.2.3.4")
    assert ratelimit.client_address(request) == "192.0.2.7"


def test_behind_the_trusted_proxy_each_client_has_its_own_address(settings):
    settings.PLANPORTAL_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    settings.PLANPORTAL_TRUSTED_PROXIES = ["10.0.0.0/24"]
    one = _request("10.0.0.2", HTTP_X_REAL_IP="192.0.2.1")
    two = _request("10.0.0.2", HTTP_X_REAL_IP="192.0.2.2")
    assert [ratelimit.client_address(r) for r in (one, two)] == ["192.0.2.1", "192.0.2.2"]
    limit = (1, 60)
    assert ratelimit.allow_address(one, scope="proxy", limit=limit)
    assert ratelimit.allow_address(two, scope="proxy", limit=limit)
    assert not ratelimit.allow_address(one, scope="proxy", limit=limit)


def test_the_header_is_ignored_from_a_peer_that_is_not_the_trusted_proxy(settings):
    settings.PLANPORTAL_CLIENT_ADDRESS_HEADER = "HTTP_X_REAL_IP"
    settings.PLANPORTAL_TRUSTED_PROXIES = ["10.0.0.2"]
    forged = _request("198.51.100.9", HTTP_X_REAL_IP="192.0.2.99")
    assert ratelimit.client_address(forged) == "198.51.100.9"


def test_only_the_entry_the_proxy_added_to_x_forwarded_for_counts(settings):
    settings.PLANPORTAL_CLIENT_ADDRESS_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PLANPORTAL_TRUSTED_PROXIES = ["127.0.0.1"]
    request = _request("127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.3")
    assert ratelimit.client_address(request) == "192.0.2.3"


def test_requests_through_an_unconfigured_proxy_are_reported_once(settings, caplog, monkeypatch):
    settings.PLANPORTAL_CLIENT_ADDRESS_HEADER = "REMOTE_ADDR"
    settings.DEBUG = False
    monkeypatch.setattr(ratelimit, "_proxy_warned", False)
    with caplog.at_level(logging.WARNING, logger="planportal.ratelimit"):
        for _ in range(3):
            ratelimit.client_address(_request("10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.1"))
    assert len(caplog.records) == 1
    assert "PLANPORTAL_CLIENT_ADDRESS_HEADER" in caplog.records[0].getMessage()


def test_the_address_hash_is_what_consultations_stored_before(settings):
    settings.SECRET_KEY = "k"
    # hmac-sha256("k", "192.0.2.1"), first 32 hex digits: must never change.
    assert ratelimit.address_hash("192.0.2.1") == "d576d687f6b245327563b2e29089a669"
    assert ratelimit.address_hash("") == ""


def _ids(settings, **changes):
    for name, value in changes.items():
        setattr(settings, name, value)
    return [warning.id for warning in checks.abuse_limit_warnings()]


def test_the_deployment_check_warns_about_counters_kept_per_process(settings):
    settings.DEBUG = False
    settings.PLANPORTAL_CLIENT_ADDRESS_HEADER = "REMOTE_ADDR"
    settings.PLANPORTAL_TRUSTED_PROXIES = []
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    assert _ids(settings, CACHES={**settings.CACHES, "ratelimit": local}) == ["planportal.W001"]
    shared = {"BACKEND": "planportal.cache.CounterDatabaseCache", "LOCATION": RATELIMIT_TABLE}
    assert _ids(settings, CACHES={**settings.CACHES, "ratelimit": shared}) == []
    redis = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://r"}
    assert _ids(settings, CACHES={**settings.CACHES, "ratelimit": redis}) == []


def test_the_deployment_check_warns_about_the_proxy_header(settings):
    settings.DEBUG = False
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {"BACKEND": "planportal.cache.CounterDatabaseCache", "LOCATION": "t"},
    }
    # Behind a proxy (it is named) but reading the proxy's own address.
    assert _ids(
        settings,
        PLANPORTAL_TRUSTED_PROXIES=["10.0.0.2"],
        PLANPORTAL_CLIENT_ADDRESS_HEADER="REMOTE_ADDR",
    ) == ["planportal.W002"]
    # A header believed from anyone.
    assert _ids(
        settings, PLANPORTAL_TRUSTED_PROXIES=[], PLANPORTAL_CLIENT_ADDRESS_HEADER="HTTP_X_REAL_IP"
    ) == ["planportal.W003"]
    assert (
        _ids(
            settings,
            PLANPORTAL_TRUSTED_PROXIES=["10.0.0.2"],
            PLANPORTAL_CLIENT_ADDRESS_HEADER="HTTP_X_REAL_IP",
        )
        == []
    )
    # No proxy: clients connect directly.
    assert (
        _ids(
            settings, PLANPORTAL_TRUSTED_PROXIES=[], PLANPORTAL_CLIENT_ADDRESS_HEADER="REMOTE_ADDR"
        )
        == []
    )


def test_the_production_default_keeps_the_counters_in_the_database():
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.CACHES[settings.RATELIMIT_USE_CACHE]['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "planportal.cache.CounterDatabaseCache"
