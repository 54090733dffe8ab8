"""Running the real binary: start, serve, reload on SIGHUP, stop on SIGTERM/SIGINT."""
import signal
import socket
import sqlite3

import pytest

from conftest import free_port, minimal_config, wait_until


def test_run_serves_status_and_stops_on_sigterm(switchboard_factory, workdir):
    http = free_port()
    sb = switchboard_factory(minimal_config(http, free_port("both"))).start()
    status, body = sb.get("/health")
    assert status == 200 and body == {"status": "ok"}
    status, body = sb.get("/api/v1/status")
    assert status == 200
    assert body["extensions"] == 2
    sb.signal(signal.SIGTERM)
    assert sb.proc.wait(10) == 0, sb.proc.output()
    out = sb.proc.output()
    assert "shutting down" in out and "stopped" in out
    # The store was written and closed cleanly: the config's extensions are in it.
    db = sqlite3.connect(workdir / "var" / "switchboard.db")
    rows = db.execute("SELECT number, source FROM extensions ORDER BY number").fetchall()
    assert rows == [("1001", "config"), ("1002", "config")]
    # Nothing listens any more.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", http), timeout=0.5)


def test_sigint_also_stops_cleanly(switchboard_factory):
    sb = switchboard_factory(minimal_config(free_port(), free_port("both"))).start()
    sb.signal(signal.SIGINT)
    assert sb.proc.wait(10) == 0


def test_sighup_reloads_extensions(switchboard_factory, workdir):
    http, sip = free_port(), free_port("both")
    sb = switchboard_factory(minimal_config(http, sip)).start()
    sb.config_path.write_text(minimal_config(http, sip, extensions=("1001", "1002", "1003")))
    sb.signal(signal.SIGHUP)
    assert wait_until(lambda: sb.get("/api/v1/status")[1]["extensions"] == 3)
    assert sb.get("/api/v1/status")[1]["config_reloads"] == 1

    def in_store():
        db = sqlite3.connect(workdir / "var" / "switchboard.db")
        try:
            return [r[0] for r in db.execute("SELECT number FROM extensions ORDER BY number")]
        finally:
            db.close()

    assert wait_until(lambda: in_store() == ["1001", "1002", "1003"])


def test_sighup_with_invalid_file_keeps_running_config(switchboard_factory):
    http, sip = free_port(), free_port("both")
    sb = switchboard_factory(minimal_config(http, sip)).start()
    sb.config_path.write_text("server:\n  sip_port: nope\n")
    sb.signal(signal.SIGHUP)
    assert sb.proc.wait_for_output("reload rejected", 10), sb.proc.output()
    assert "server.sip_port: expected integer" in sb.proc.output()
    assert sb.proc.alive()
    status, body = sb.get("/api/v1/status")
    assert body["extensions"] == 2 and body["config_reloads"] == 0
    sb.signal(signal.SIGTERM)
    assert sb.proc.wait(10) == 0


def test_invalid_config_starts_nothing(switchboard_factory):
    http = free_port()
    sb = switchboard_factory("server:\n  sip_port: 0\nextensions: 5\n")
    sb.start(expect_ready=False)
    assert sb.proc.wait(10) == 2
    out = sb.proc.output()
    assert "server.sip_port: 0 is out of range" in out
    assert "extensions: expected a list" in out
    assert "nothing started" in out
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", http), timeout=0.5)


def test_port_in_use_is_a_clear_error(switchboard_factory):
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    try:
        sb = switchboard_factory(minimal_config(port, free_port("both")))
        sb.start(expect_ready=False)
        assert sb.proc.wait(10) == 1
        assert f"cannot listen on 127.0.0.1:{port}" in sb.proc.output()
    finally:
        blocker.close()


def test_restart_keeps_store_and_skips_applied_migrations(switchboard_factory):
    http, sip = free_port(), free_port("both")
    first = switchboard_factory(minimal_config(http, sip)).start()
    assert "applied" in first.proc.output()
    first.signal(signal.SIGTERM)
    assert first.proc.wait(10) == 0
    second = switchboard_factory(minimal_config(http, sip)).start()
    assert "migration" not in second.proc.output()
    second.signal(signal.SIGTERM)
    assert second.proc.wait(10) == 0


def test_json_log_lines(switchboard_factory, workdir):
    cfg = minimal_config(free_port(), free_port("both")).replace("  console: true\n",
                                                                "  console: true\n  json: true\n")
    sb = switchboard_factory(cfg).start()
    sb.signal(signal.SIGTERM)
    assert sb.proc.wait(10) == 0
    import json
    lines = (workdir / "log" / "switchboard.log").read_text().splitlines()
    records = [json.loads(l) for l in lines]
    assert any(r["component"] == "app" and "started" in r["msg"] for r in records)
    assert all({"ts", "level", "component", "msg"} <= r.keys() for r in records)


def test_make_run_starts_and_stops_cleanly(tmp_path):
    """The README's first command, as a newcomer runs it (Ctrl-C to stop)."""
    import os
    import subprocess
    from conftest import ROOT, Proc
    http = free_port()
    env = {**os.environ, "SB_HTTP_PORT": str(http), "SB_SIP_PORT": str(free_port("both")),
           "SB_VAR_DIR": str(tmp_path / "var")}
    proc = Proc("make run", ["make", "-s", "run"], tmp_path / "make-run.log", env=env, cwd=ROOT)
    try:
        assert proc.wait_for_output("HTTP API listening", 120), proc.output()
        assert f"http://127.0.0.1:{http}" in proc.output()
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        proc.wait(15)
        assert "stopped" in proc.output(), proc.output()
        import re
        assert not re.search(r"\s(error|critical)\s+\[", proc.output()), proc.output()
        assert (tmp_path / "var" / "switchboard.db").exists()
    finally:
        proc.stop()


def test_runs_on_postgresql(switchboard_factory, postgres):
    """database.url: the same binary on a real PostgreSQL (a throwaway cluster)."""
    import subprocess
    db = f"sb_{free_port()}"
    subprocess.run(["psql", postgres.url, "-q", "-c", f"CREATE DATABASE {db}"], check=True)
    url = postgres.url.rsplit("/", 1)[0] + "/" + db
    cfg = minimal_config(free_port(), free_port("both"), extra=f"database:\n  url: {url}\n")
    sb = switchboard_factory(cfg).start()
    assert "store postgresql://" in sb.proc.output()
    sb.signal(signal.SIGTERM)
    assert sb.proc.wait(10) == 0
    rows = subprocess.run(["psql", url, "-At", "-c",
                           "SELECT number || ':' || source FROM extensions ORDER BY number"],
                          capture_output=True, text=True, check=True).stdout.split()
    assert rows == ["1001:config", "1002:config"]
    versions = subprocess.run(["psql", url, "-At", "-c", "SELECT count(*) FROM schema_migrations"],
                              capture_output=True, text=True, check=True).stdout.strip()
    assert int(versions) >= 6
