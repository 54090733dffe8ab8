#!/usr/bin/env python3
"""REGISTER with digest auth: Switchboard versus Kamailio, same machine, same run.

N distinct extensions (5,000 by default) each register once with digest auth
(REGISTER, 401, REGISTER with credentials, 200) through SIPp's
tests/sipp/register_auth.xml at R registrations/s, against
  (a) the switchboard binary with N extensions in a generated config, bindings
      persisted to its SQLite store;
  (b) Kamailio 5.6 as registrar: auth_db on a SQLite subscriber table (db_sqlite),
      usrloc in write-through mode (db_mode=1) to the same SQLite file (WAL).
      One UDP worker (children=1): db_sqlite has no busy timeout, and with two
      workers on one SQLite file half the requests fail with "database is
      locked" (measured); Switchboard likewise handles SIP on one core thread
      and writes the store from one worker at a time.
Both get the same SIPp scenario and users file. Reported per server: SIPp's
successes and rate, server CPU seconds (utime+stime of all its processes) per
1,000 registrations, and the store's growth per binding in bytes (file size
after a clean stop, with and without the N bindings). The ratio of CPU per
registration is the figure to compare; the rate is capped by SIPp on 2 cores.

    /usr/bin/python3 bench/register_bench.py [--users 5000] [--rate 1000] [--build build]

Not part of `make test` (it needs 5,000 extensions and a few minutes).
"""
import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from harness import sipp  # noqa: E402
from harness.ports import free_port, wait_tcp  # noqa: E402
from harness.procs import Proc  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
KAM_SQL = Path("/usr/share/kamailio/db_sqlite")


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            pass
    return total / TICKS


def thread_cpu(pid: int) -> dict:
    """CPU seconds per thread of one process, by thread name (e.g. the worker pool)."""
    out = {}
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            stat = (task / "stat").read_text()
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            out[f"{name}/{task.name}"] = (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, ValueError, IndexError):
            pass
    return out


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    kids = [int(p) for p in out.split()]
    return [pid] + [k for kid in kids for k in children_of(kid)]


def users(n: int) -> list[tuple[str, str]]:
    return [(str(100000 + i), f"Bench-Pass-{i:05d}x") for i in range(n)]


# --- Switchboard -------------------------------------------------------------

def switchboard_config(work: Path, sip: int, http: int, accounts) -> Path:
    exts = "".join(f"- number: '{u}'\n  password: {p}\n" for u, p in accounts)
    cfg = work / "switchboard.yml"
    cfg.write_text(
        f"server:\n  sip_host: 127.0.0.1\n  sip_port: {sip}\n"
        f"api:\n  host: 127.0.0.1\n  port: {http}\n"
        f"extensions:\n{exts}"
        "dialplan:\n  internal_pattern: ^[0-9]{6}$\n"
        # One SIPp address registers everything: no per-source limit here.
        "security:\n  rate_limit_per_second: 0\n  max_failed_attempts: 1000\n"
        "registrar:\n  keepalive_interval: 0\n"
        f"database:\n  path: {work / 'switchboard.db'}\n"
        f"logging:\n  level: warn\n  console: true\n")
    return cfg


def run_switchboard(binary: Path, cfg: Path, work: Path, http: int) -> Proc:
    proc = Proc("switchboard", [str(binary), "run", "-c", str(cfg)], work / "switchboard.log",
                cwd=work)
    if not wait_tcp("127.0.0.1", http, 60):
        raise RuntimeError("switchboard did not start:\n" + proc.output())
    return proc


def admin_token(binary: Path, cfg: Path, work: Path) -> str:
    """An API token (the API needs one since issue 9), made with the CLI."""
    r = subprocess.run([str(binary), "token", "create", "-c", str(cfg), "--role", "admin",
                        "--name", "register-bench"], cwd=work, capture_output=True, text=True,
                       check=True, timeout=30)
    return r.stdout.strip()


def bindings_of_switchboard(http: int, token: str) -> int:
    import json
    req = urllib.request.Request(f"http://127.0.0.1:{http}/api/v1/status",
                                 headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.loads(r.read())["registrar"]["bindings"]


# --- Kamailio ----------------------------------------------------------------

KAMAILIO_CFG = """#!KAMAILIO
debug=1
log_stderror=yes
children=1
dns=no
rev_dns=no
listen=udp:127.0.0.1:{port}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "db_sqlite.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
modparam("auth_db", "db_url", "sqlite:///{db}")
modparam("auth_db", "calculate_ha1", 0)
modparam("auth_db", "password_column", "ha1")
modparam("auth_db", "load_credentials", "")
modparam("usrloc", "db_url", "sqlite:///{db}")
modparam("usrloc", "db_mode", {db_mode})
modparam("auth", "nonce_expire", 300)
request_route {{
  if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
  if (is_method("REGISTER")) {{
    if (!www_authorize("$td", "subscriber")) {{ www_challenge("$td", "1"); exit; }}
    if (!save("location")) sl_reply_error();
    exit;
  }}
  sl_send_reply("405", "Method Not Allowed");
}}
"""


def kamailio_db(path: Path, accounts, realm: str) -> None:
    import hashlib
    db = sqlite3.connect(path)
    for f in ("standard-create.sql", "auth_db-create.sql", "usrloc-create.sql"):
        db.executescript((KAM_SQL / f).read_text())
    db.executemany("INSERT INTO subscriber (username, domain, password, ha1, ha1b) "
                   "VALUES (?, ?, '', ?, '')",
                   [(u, realm, hashlib.md5(f"{u}:{realm}:{p}".encode()).hexdigest())
                    for u, p in accounts])
    db.commit()
    db.execute("PRAGMA journal_mode=WAL")  # persistent; as Switchboard's store
    db.close()


def run_kamailio(work: Path, port: int, db: Path, db_mode: int) -> Proc:
    cfg = work / "kamailio.cfg"
    cfg.write_text(KAMAILIO_CFG.format(port=port, db=db, db_mode=db_mode))
    run = work / "run"
    run.mkdir(exist_ok=True)
    proc = Proc("kamailio", ["kamailio", "-f", str(cfg), "-DD", "-E", "-m", "256", "-M", "16",
                             "-Y", str(run), "-P", str(run / "pid"), "-w", str(run)],
                work / "kamailio.log", cwd=work)
    time.sleep(2.0)
    if not proc.alive():
        raise RuntimeError("kamailio did not start:\n" + proc.output())
    return proc


def db_bytes(path: Path) -> int:
    """The file's size once its WAL is folded in (servers stopped)."""
    with sqlite3.connect(path) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


# --- the run -----------------------------------------------------------------

def measure(name: str, target: str, proc: Proc, work: Path, users_csv: Path, n: int,
            rate: int) -> tuple[float, float, int]:
    time.sleep(0.5)
    pids = children_of(proc.pid)
    before = cpu_seconds(pids)
    threads_before = thread_cpu(proc.pid)
    r = sipp.run_scenario("register_auth", target, work / f"sipp-{name}", users_csv, calls=n,
                          rate=rate, keys={"expires": 3600}, timeout=600,
                          extra=["-l", "2000", "-recv_timeout", "10000"])
    cpu = cpu_seconds(pids) - before
    threads = {k: v - threads_before.get(k, 0) for k, v in thread_cpu(proc.pid).items()}
    busy = {k: round(v, 2) for k, v in threads.items() if v >= 0.01}
    ok = r.count("SuccessfulCall(C)")
    failed = r.count("FailedCall(C)")
    print(f"{name:12s} ok={ok:6d} failed={failed:4d} rate={r.rate:7.1f}/s "
          f"retrans={r.count('Retransmissions(C)')} cpu={cpu:6.2f}s "
          f"cpu_per_1000={1000 * cpu / max(ok, 1):.3f}s threads={busy}", flush=True)
    if ok != n:
        print(r.log[-3000:])
    return r.rate, cpu / max(ok, 1), ok


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=5000)
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--build", default="build", help="build dir holding bin/switchboard")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--kamailio-db-mode", type=int, default=1, choices=(1, 2),
                    help="usrloc db_mode: 1 write-through (default), 2 write-back")
    args = ap.parse_args()
    binary = ROOT / args.build / "bin" / "switchboard"
    work = Path(tempfile.mkdtemp(prefix="sb-regbench-"))
    accounts = users(args.users)
    users_csv = sipp.write_users(work / "users.csv", accounts)
    realm = "127.0.0.1"
    print(f"{args.users} extensions, {args.rate} REGISTER/s target, kamailio usrloc db_mode="
          f"{args.kamailio_db_mode}, work dir {work}", flush=True)

    # Switchboard: baseline store size (extensions synced, no bindings) first.
    sb_dir = work / "switchboard"
    sb_dir.mkdir()
    sip, http = free_port("both"), free_port()
    cfg = switchboard_config(sb_dir, sip, http, accounts)
    sb = run_switchboard(binary, cfg, sb_dir, http)
    sb.stop()
    token = admin_token(binary, cfg, sb_dir)  # before the baseline: its row is not a binding's
    sb_base = db_bytes(sb_dir / "switchboard.db")
    sb = run_switchboard(binary, cfg, sb_dir, http)
    sb_rate, sb_cpu, sb_ok = measure("switchboard", f"127.0.0.1:{sip}", sb, work, users_csv,
                                     args.users, args.rate)
    time.sleep(1.0)  # the last batch of store writes
    sb_bindings = bindings_of_switchboard(http, token)
    sb.stop()
    sb_grow = db_bytes(sb_dir / "switchboard.db") - sb_base
    with sqlite3.connect(sb_dir / "switchboard.db") as c:
        stored = c.execute("SELECT COUNT(*) FROM registrar_bindings").fetchone()[0]

    # Kamailio on the same kind of store.
    k_dir = work / "kamailio"
    k_dir.mkdir()
    kdb = k_dir / "kamailio.db"
    kamailio_db(kdb, accounts, realm)
    k_base = db_bytes(kdb)
    kport = free_port("both")
    kam = run_kamailio(k_dir, kport, kdb, args.kamailio_db_mode)
    k_rate, k_cpu, k_ok = measure("kamailio", f"127.0.0.1:{kport}", kam, work, users_csv,
                                  args.users, args.rate)
    kam.stop()
    k_grow = db_bytes(kdb) - k_base
    with sqlite3.connect(kdb) as c:
        k_stored = c.execute("SELECT COUNT(*) FROM location").fetchone()[0]

    print()
    print(f"switchboard: {sb_ok} registered, {sb_bindings} bindings in memory, {stored} in the "
          f"store, store growth {sb_grow} B = {sb_grow / max(stored, 1):.0f} B/binding")
    print(f"kamailio:    {k_ok} registered, {k_stored} in the store, store growth {k_grow} B = "
          f"{k_grow / max(k_stored, 1):.0f} B/binding")
    print(f"rate: switchboard {sb_rate:.1f}/s, kamailio {k_rate:.1f}/s")
    print(f"CPU per REGISTER transaction pair, switchboard/kamailio: {sb_cpu / k_cpu:.2f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if sb_ok == args.users and k_ok == args.users else 1


if __name__ == "__main__":
    sys.exit(main())
