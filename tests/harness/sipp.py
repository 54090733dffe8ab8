"""SIPp (Debian's sip-tester) runs: built-in scenarios, results from -stf."""
import csv
import subprocess
from pathlib import Path

from .ports import free_port


class SippResult:
    def __init__(self, returncode: int, stats: dict, log: str):
        self.returncode = returncode
        self.stats = stats
        self.log = log

    def count(self, column: str) -> int:
        return int(float(self.stats.get(column, "0") or 0))

    @property
    def rate(self) -> float:
        return float(self.stats.get("CallRate(C)", "0") or 0)

    def __repr__(self) -> str:
        keys = ["SuccessfulCall(C)", "FailedCall(C)", "FailedUnexpectedMessage(C)",
                "Retransmissions(C)", "CallRate(C)", "ElapsedTime(C)"]
        return "SippResult(rc=%d, %s)" % (self.returncode,
                                          ", ".join(f"{k}={self.stats.get(k)}" for k in keys))


def _last_row(path: Path) -> dict:
    with open(path, newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    return dict(zip(rows[0], rows[-1])) if len(rows) >= 2 else {}


def run_uac(target: str, workdir: Path, rate: int, calls: int, transport: str = "u1",
            timeout: float = 120.0, extra: list[str] | None = None) -> SippResult:
    """Runs the built-in uac scenario against target ("127.0.0.1:5060")."""
    workdir.mkdir(parents=True, exist_ok=True)
    stats = workdir / f"uac-{transport}.csv"
    argv = ["sipp", "-sn", "uac", target, "-t", transport, "-r", str(rate), "-m", str(calls),
            "-i", "127.0.0.1", "-p", str(free_port("both")), "-mp", str(free_port("udp")),
            "-nostdin", "-trace_stat", "-stf", str(stats), "-fd", "1",
            "-timeout", str(int(timeout)), "-timeout_error"] + (extra or [])
    proc = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=timeout + 30)
    return SippResult(proc.returncode, _last_row(stats) if stats.exists() else {},
                      proc.stdout[-5000:] + proc.stderr[-5000:])


class SippUas:
    """The built-in uas scenario listening on a free port until stopped."""

    def __init__(self, workdir: Path, transport: str = "u1"):
        from .procs import Proc

        workdir.mkdir(parents=True, exist_ok=True)
        self.port = free_port("both")
        self.stats = workdir / "uas.csv"
        argv = ["sipp", "-sn", "uas", "-t", transport, "-p", str(self.port), "-i", "127.0.0.1",
                "-mp", str(free_port("udp")), "-nostdin", "-trace_stat", "-stf", str(self.stats),
                "-fd", "1"]
        self.proc = Proc("sipp-uas", argv, workdir / "sipp-uas.log", cwd=workdir)

    def wait_successful(self, calls: int, timeout: float = 15.0) -> SippResult:
        """The built-in uas ends each call with a 4 s timewait: poll the stats
        (dumped every second) until `calls` calls completed."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.stats.exists():
                row = _last_row(self.stats)
                if int(float(row.get("SuccessfulCall(C)", "0") or 0)) >= calls:
                    break
            time.sleep(0.5)
        return self.stop()

    def stop(self) -> SippResult:
        self.proc.stop()
        return SippResult(self.proc.popen.returncode or 0,
                          _last_row(self.stats) if self.stats.exists() else {}, self.proc.output())


SCENARIOS = Path(__file__).resolve().parents[1] / "sipp"


def write_users(path: Path, users: list[tuple[str, str]]) -> Path:
    """An -inf file in the form tests/sipp/*.xml expect: extension;[authentication …]."""
    lines = ["SEQUENTIAL"] + [f"{u};[authentication username={u} password={p}]" for u, p in users]
    path.write_text("\n".join(lines) + "\n")
    return path


def run_scenario(name: str, target: str, workdir: Path, users: Path, calls: int = 1,
                 rate: float = 10, keys: dict | None = None, transport: str = "u1",
                 timeout: float = 60.0, extra: list[str] | None = None) -> SippResult:
    """Runs tests/sipp/<name>.xml as a client against target ("127.0.0.1:5060")."""
    workdir.mkdir(parents=True, exist_ok=True)
    stats = workdir / f"{name}-{free_port()}.csv"
    argv = ["sipp", target, "-sf", str(SCENARIOS / f"{name}.xml"), "-inf", str(users),
            "-t", transport, "-r", str(rate), "-m", str(calls), "-i", "127.0.0.1",
            "-p", str(free_port("both")), "-mp", str(free_port("udp")), "-nostdin",
            "-trace_stat", "-stf", str(stats), "-fd", "1", "-trace_err",
            "-timeout", str(int(timeout)), "-timeout_error"]
    for k, v in (keys or {}).items():
        argv += ["-key", k, str(v)]
    argv += extra or []
    proc = subprocess.run(argv, cwd=workdir, capture_output=True, text=True, timeout=timeout + 30)
    errors = "".join(p.read_text(errors="replace")[-3000:] for p in workdir.glob("*_errors.log"))
    return SippResult(proc.returncode, _last_row(stats) if stats.exists() else {},
                      proc.stdout[-3000:] + proc.stderr[-3000:] + errors)
