"""Concurrent PUTs of one indicator's value of one year end in one row (SQLite,
the embedded default; on PostgreSQL run tests/monitoring/actual_writers.py
with DATABASE_URL pointing at a fresh database)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_concurrent_puts_of_one_value_make_one_row_and_keep_every_correction(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'actuals.sqlite3'}",
            "HTTPS": "0",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "localhost",
        }
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "monitoring" / "actual_writers.py"), "8"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("OK 1 1 7")
