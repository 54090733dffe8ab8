"""The command line: version, check-config on good and bad files."""
import os
import re
import subprocess

from conftest import BINARY, ROOT, TEST_ENV


def run(*args, env=None):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, **(env if env is not None else TEST_ENV)})


def test_version():
    r = run("version")
    assert r.returncode == 0
    assert re.match(r"switchboard \d+\.\d+\.\d+ \(\w+\)", r.stdout), r.stdout


def test_requirements_compat_config_is_accepted_verbatim():
    path = ROOT / "tests" / "data" / "config" / "config-compat.yml"
    r = run("check-config", "-c", str(path))
    assert r.returncode == 0, r.stderr
    assert "OK (5 extension(s), 0 warning(s))" in r.stdout


def test_shipped_configs_are_valid():
    for name in ("config.yml", "config.example.yml"):
        r = run("check-config", "-c", str(ROOT / "config" / name))
        assert r.returncode == 0, r.stderr


def test_three_errors_are_all_reported_with_file_line_column(tmp_path):
    cfg = tmp_path / "bad.yml"
    cfg.write_text(
        "server:\n"
        "  sip_port: 99999\n"                      # out-of-range port
        "extensions:\n"
        "- number: '1001'\n"
        "  password: Correct-Horse-1\n"
        "integrations:\n"
        "  zoom:\n"
        "    enabled: true\n"
        "    account_id: acct\n"
        "    client_id: {a: b}\n"                  # wrong type
        "    client_secret: Zoom-Secret-1\n"
        "dialplan:\n"
        "  queue_pattern: '^8[0-9{3}$'\n")         # bad regex
    r = run("check-config", "-c", str(cfg))
    assert r.returncode == 2
    errors = [l for l in r.stderr.splitlines() if re.match(rf"{re.escape(str(cfg))}:\d+:\d+: ", l)]
    assert len(errors) == 3, r.stderr
    assert f"{cfg}:2:13: server.sip_port: 99999 is out of range" in errors[0]
    assert f"{cfg}:10:16: integrations.zoom.client_id: expected string" in errors[1]
    assert f"{cfg}:13:18: dialplan.queue_pattern: invalid regular expression" in errors[2]
    assert "3 error(s)" in r.stderr


def test_missing_variable_and_secret_not_printed(tmp_path):
    cfg = tmp_path / "c.yml"
    cfg.write_text("extensions:\n- number: '1001'\n  password: ${NOT_SET_ANYWHERE}\n"
                   "- number: '1002'\n  password: hunter2\n")
    r = run("check-config", "-c", str(cfg), env={})
    assert r.returncode == 2
    assert f"{cfg}:3:13: extensions[0].password: environment variable NOT_SET_ANYWHERE is not set" in r.stderr
    assert "extensions[1].password: password is shorter" in r.stderr
    assert "hunter2" not in r.stderr and "hunter2" not in r.stdout


def test_unreadable_file():
    r = run("check-config", "-c", "/nonexistent/switchboard.yml")
    assert r.returncode == 2
    assert "/nonexistent/switchboard.yml: cannot read the file" in r.stderr


def test_unknown_subcommand_is_an_error():
    r = run("frobnicate")
    assert r.returncode != 0
