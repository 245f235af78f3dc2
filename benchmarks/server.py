"""What the benchmarks that drive a real gunicorn server share.

The scripts run as `python benchmarks/<name>.py`, so this folder is first on
sys.path and they import this module as `server`.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(
    port: int, process: subprocess.Popen, timeout: float = 30, path: str = "/healthz"
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)  # polling a starting server, not a test
    raise SystemExit(f"gunicorn did not answer {path} in time")
