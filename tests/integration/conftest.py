"""Fixtures shared by the integration tests: the real switchboard binary, free
ports, temp dirs, and real peers (PostgreSQL now), always stopped afterwards;
their logs are printed when a test fails."""
import json
import os
import signal
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from harness.ports import free_port  # noqa: E402
from harness.procs import Proc  # noqa: E402

# SWITCHBOARD_BINARY runs the tests against another build directory's binary.
BINARY = Path(os.environ.get("SWITCHBOARD_BINARY", ROOT / "build" / "bin" / "switchboard"))

# Passwords that satisfy the default password policy, for configs under test.
TEST_ENV = {
    "EXT_1000_PASSWORD": "Operator-Pass-1000", "EXT_1001_PASSWORD": "Ada-Lovelace-1001",
    "EXT_1002_PASSWORD": "Bob-Builder-1002", "EXT_1003_PASSWORD": "Carol-Singer-1003",
    "EXT_1004_PASSWORD": "Support-Desk-1004", "SMTP_PASSWORD": "smtp-secret-value",
    "DB_PASSWORD": "db-secret-value", "ZOOM_CLIENT_SECRET": "zoom-secret-value",
    "OUTLOOK_CLIENT_SECRET": "outlook-secret", "AD_BIND_PASSWORD": "ad-secret-value",
    "TEAMS_CLIENT_SECRET": "teams-secret-value",
}

_procs_for_report: list[Proc] = []


def minimal_config(http_port: int, sip_port: int, extensions=("1001", "1002"), extra: str = "") -> str:
    exts = "".join(
        f"- number: '{n}'\n  name: User {n}\n  password: Pass-word-{n}!\n" for n in extensions)
    return (f"server:\n  sip_host: 127.0.0.1\n  sip_port: {sip_port}\n"
            f"api:\n  host: 127.0.0.1\n  port: {http_port}\n"
            f"extensions:\n{exts}"
            f"logging:\n  level: debug\n  file: log/switchboard.log\n  console: true\n{extra}")


class Switchboard:
    """The real binary, started in its own working directory."""

    def __init__(self, workdir: Path, config_text: str, env: dict | None = None):
        self.workdir = workdir
        self.config_path = workdir / "config.yml"
        self.config_path.write_text(config_text)
        self.http_port = None
        self.proc = None
        self.token = None  # an admin API token (issue 9), created before the first start
        self.env = {**os.environ, **TEST_ENV, **(env or {})}

    def admin_token(self) -> str | None:
        """Creates (once) an admin API token with the CLI in the running PBX's
        store; None when the config cannot open the store."""
        if self.token is None:
            import subprocess
            r = subprocess.run([str(BINARY), "token", "create", "-c", str(self.config_path),
                                "--role", "admin", "--name", f"test-admin-{time.monotonic_ns()}"],
                               cwd=self.workdir, env=self.env, capture_output=True, text=True,
                               timeout=30)
            self.token = r.stdout.strip() if r.returncode == 0 else None
        return self.token

    def start(self, expect_ready: bool = True) -> "Switchboard":
        self.proc = Proc("switchboard", [str(BINARY), "run", "-c", str(self.config_path)],
                         self.workdir / f"stdout-{time.monotonic_ns()}.log", env=self.env,
                         cwd=self.workdir)
        _procs_for_report.append(self.proc)
        if expect_ready:
            assert self.proc.wait_for_output("HTTP API listening", 15), self.proc.output()
            import re
            ports = re.findall(r"HTTP API listening on http://[^\s\"]+:(\d+)", self.proc.output())
            self.http_port = int(ports[-1])
            self.admin_token()  # after start-up: the PBX applies the migrations itself
        return self

    def get(self, path: str):
        req = urllib.request.Request(f"http://127.0.0.1:{self.http_port}{path}")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, json.loads(r.read())

    def signal(self, sig: int) -> None:
        self.proc.signal(sig)

    def stop(self) -> int | None:
        return self.proc.stop() if self.proc else None


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def switchboard_factory(workdir):
    started: list[Switchboard] = []

    def make(config_text: str, env: dict | None = None) -> Switchboard:
        sb = Switchboard(workdir, config_text, env)
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.stop()


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster on 127.0.0.1 (never the system service).
    Its folder sits directly in /tmp: pytest's own temp root is private to root,
    and the server runs as the postgres account."""
    import shutil
    import tempfile
    from harness.postgres import PostgresCluster

    folder = tempfile.mkdtemp(prefix="sb-pg-")
    cluster = PostgresCluster(folder)
    cluster.start()
    yield cluster
    cluster.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        for p in _procs_for_report:
            report.sections.append((f"log of {p.name} (pid {p.pid})", p.output()[-20000:]))
    if report.when == "teardown":
        _procs_for_report.clear()


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


__all__ = ["Switchboard", "minimal_config", "wait_until", "free_port", "TEST_ENV", "ROOT",
           "BINARY", "signal"]
