"""Helpers for the call tests (issue 5): a PBX with two extensions, callees
that are SIPp UAS scenarios registered from their own port, callers that are
SIPp UAC scenarios with digest auth, and the CDR rows from the store."""
import sqlite3
import subprocess
import time
from pathlib import Path

from conftest import free_port, minimal_config, wait_until
from harness.procs import Proc
from harness.sipp import SCENARIOS, write_users

PW = {n: f"Pass-word-{n}!" for n in ("1001", "1002", "1003")}  # as minimal_config writes them


def start_pbx(factory, extra: str = "", extensions=("1001", "1002", "1003")):
    sip = free_port("both")
    rtp = free_port("udp") // 2 * 2
    base = 20000 + (rtp % 20000) // 100 * 100  # a private slice of the port space per test
    cfg = minimal_config(free_port(), sip, extensions=extensions, extra=extra)
    cfg = cfg.replace("server:\n", f"server:\n  rtp_port_range_start: {base}\n"
                                   f"  rtp_port_range_end: {base + 99}\n", 1)
    sb = factory(cfg).start()
    sb.sip_port = sip
    sb.target = f"127.0.0.1:{sip}"
    return sb


def sipp_argv(scenario: Path, target: str, workdir: Path, port: int, keys: dict | None,
              users: Path | None, calls: int = 1, extra: list[str] | None = None,
              stats: Path | None = None, timeout: float = 30):
    argv = ["sipp", target, "-sf", str(scenario), "-t", "u1", "-m", str(calls),
            "-i", "127.0.0.1", "-p", str(port), "-mp", str(free_port("udp")), "-nostdin",
            "-trace_err", "-trace_msg", "-timeout", str(int(timeout)), "-timeout_error"]
    if users:
        argv += ["-inf", str(users)]
    if stats:
        argv += ["-trace_stat", "-stf", str(stats), "-fd", "1"]
    for k, v in (keys or {}).items():
        argv += ["-key", k, str(v)]
    return argv + (extra or [])


def register(pbx, workdir: Path, ext: str, port: int, expires: int = 600) -> None:
    """REGISTER `ext` from 127.0.0.1:port (where its UAS will listen)."""
    users = write_users(workdir / f"reg-{ext}-{port}.csv", [(ext, PW[ext])])
    argv = sipp_argv(SCENARIOS / "register_auth.xml", pbx.target, workdir, port,
                     {"expires": expires}, users, timeout=10)
    p = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=30)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]


class Callee:
    """A SIPp UAS scenario on its own port, registered as `ext`."""

    def __init__(self, pbx, workdir: Path, ext: str, scenario: str, delay_ms: int = 0,
                 calls: int = 1):
        self.port = free_port("both")
        self.dir = workdir / f"callee-{scenario}-{self.port}"
        self.dir.mkdir(parents=True, exist_ok=True)
        register(pbx, self.dir, ext, self.port)
        self.stats = self.dir / "stats.csv"
        argv = sipp_argv(SCENARIOS / f"{scenario}.xml", pbx.target, self.dir, self.port, None,
                         None, calls=calls, stats=self.stats,
                         extra=["-d", str(delay_ms)])
        self.proc = Proc(f"sipp-{scenario}", argv, self.dir / "sipp.log", cwd=self.dir)

    def wait(self, timeout: float = 15) -> int | None:
        rc = self.proc.wait(timeout)
        if rc is None:
            self.proc.stop()
        return rc

    def log(self) -> str:
        errors = "".join(p.read_text(errors="replace")[-3000:] for p in self.dir.glob("*_errors.log"))
        return self.proc.output()[-3000:] + errors


def call(pbx, workdir: Path, scenario: str, callee: str, caller: str = "1001",
         keys: dict | None = None, delay_ms: int = 0, text: str | None = None,
         timeout: float = 20) -> subprocess.CompletedProcess:
    """Runs a caller scenario (text: a filled-in template) to completion."""
    d = workdir / f"caller-{scenario}-{free_port()}"
    d.mkdir(parents=True)
    users = write_users(d / "users.csv", [(caller, PW[caller])])
    if text is None:
        text = (SCENARIOS / f"{scenario}.xml").read_text()
    path = d / f"{scenario}.xml"
    path.write_text(text)
    argv = sipp_argv(path, pbx.target, d, free_port("both"), {"callee": callee, **(keys or {})},
                     users, extra=["-d", str(delay_ms), "-auth_uri", f"{callee}@{pbx.target}"],
                     timeout=timeout)
    p = subprocess.run(argv, cwd=d, capture_output=True, text=True, timeout=timeout + 20)
    p.log = p.stdout[-3000:] + p.stderr[-3000:] + "".join(
        f.read_text(errors="replace")[-3000:] for f in d.glob("*_errors.log"))
    return p


def reject_scenario(status: int) -> str:
    return (SCENARIOS / "call_uac_reject.xml").read_text().replace("@STATUS@", str(status))


def cdr_rows(pbx, want: int = 1, timeout: float = 5.0) -> list[dict]:
    """The CDR table of the PBX's SQLite store, once `want` rows are complete."""
    db = pbx.workdir / "var" / "switchboard.db"

    def rows():
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=2)
            con.row_factory = sqlite3.Row
            out = [dict(r) for r in con.execute("SELECT * FROM cdr ORDER BY id")]
            con.close()
            return out
        except sqlite3.Error:
            return []

    wait_until(lambda: len([r for r in rows() if r["status"] != "open"]) >= want, timeout)
    return rows()


def calls_status(pbx) -> dict:
    return pbx.get("/api/v1/status")[1]["calls"]


__all__ = ["start_pbx", "Callee", "call", "reject_scenario", "cdr_rows", "calls_status",
           "register", "PW", "wait_until", "time"]
