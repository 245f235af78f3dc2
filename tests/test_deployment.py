"""The production configuration: checks, secrets, database and cache wiring."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env_extra=None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "HTTPS", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DEBUG": "0",
            "SECRET_KEY": "a-production-secret-" + "x7Kq9" * 10,
            "ALLOWED_HOSTS": "planas.krs.lt",
            # Letters link to the portal (planportal.W010 without it).
            "PLANPORTAL_BASE_URL": "https://planas.krs.lt",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_the_development_secret_key():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"DEBUG": "0", "ALLOWED_HOSTS": "planas.krs.lt", "SECRET_KEY": ""},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_database_url_selects_postgresql_and_redis_url_shares_cache_and_sessions():
    code = (
        "import django, json; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.DATABASES['default']['ENGINE'], "
        "settings.CACHES['default']['BACKEND'],"
        " settings.SESSION_ENGINE]))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "planportal.settings",
            "DATABASE_URL": "postgres://planportal:pw@db.internal:5432/planportal",
            "REDIS_URL": "redis://127.0.0.1:6379/1",
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        '["django.db.backends.postgresql", "planportal.cache.RedisCache", "planportal.sessions"]'
    )


def test_redis_cache_really_works_when_configured():
    """The production cache backend against the Redis server this machine runs."""
    code = (
        "import django; django.setup(); from django.core.cache import cache;"
        "cache.set('planportal-test', 'ąčę', 30); print(cache.get('planportal-test'))"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "planportal.settings", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ąčę"
