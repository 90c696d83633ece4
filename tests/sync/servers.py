"""Real CalDAV servers for the tests: Radicale and Xandikos as child processes of the test run.

Each is started on a free port of 127.0.0.1 with its data in a temporary folder, polled until it
answers (at most 10 s), and stopped by its PID at the end (we wait for it to exit). When
TENGNUO_TEST_RADICALE_URL / TENGNUO_TEST_XANDIKOS_URL are set (as `.ci/run` does), those running
servers are used instead and nothing is started.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

READY_SECONDS = 10.0
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Server:
    """How to reach one server: its root URL and the account to use there."""

    name: str
    url: str
    username: str | None
    password: str | None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def radicale_command(port: int, folder: Path) -> list[str]:
    return [sys.executable, "-m", "radicale", "--config", "",
            "--server-hosts", f"127.0.0.1:{port}", "--auth-type", "none",
            "--rights-type", "owner_only", "--storage-filesystem-folder", str(folder),
            "--logging-level", "warning", "--auth-delay", "0"]


def xandikos_command(port: int, folder: Path) -> list[str]:
    return [str(BIN / "xandikos"), "serve", "-d", str(folder / "data"), "--defaults",
            "-l", "127.0.0.1", "-p", str(port), "--current-user-principal", "/alice/",
            "--state-dir", str(folder / "state")]


# Radicale's owner_only rights need some user (any name, any password with auth none): its
# principal is then /test/. caldav sends the password only after a 401, and Radicale delays
# every 401 by up to its auth delay (1 s by default), hence `--auth-delay 0` in tests.
# Xandikos runs without auth; its principal is /alice/.
KINDS = {
    "radicale": (radicale_command, "/.web/", "test", "not-a-secret"),
    "xandikos": (xandikos_command, "/", None, None),
}


class Running:
    """A server process we started; `stop()` ends it by PID and waits."""

    def __init__(self, kind: str, folder: Path) -> None:
        command, probe, username, password = KINDS[kind]
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        self.log = folder / f"{kind}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command(port, folder), stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}/"
        self.server = Server(kind, url, username, password)
        try:
            self._wait(url.rstrip("/") + probe)
        except BaseException:
            self.stop()
            raise

    def _wait(self, probe: str) -> None:
        deadline = time.monotonic() + READY_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.server.name} exited at start:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(probe, timeout=1):
                    return
            except urllib.error.HTTPError:
                return  # it answers, which is all we wait for
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.server.name} not ready after {READY_SECONDS} s:\n"
                           f"{self.log_text()}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def from_environment(kind: str) -> Server | None:
    """The server named by TENGNUO_TEST_<KIND>_URL, if set."""
    url = os.environ.get(f"TENGNUO_TEST_{kind.upper()}_URL")
    if not url:
        return None
    _, _, username, password = KINDS[kind]
    return Server(kind, url if url.endswith("/") else f"{url}/", username, password)
