#!/usr/bin/env python3
"""Calls through Switchboard's B2BUA versus Kamailio as a stateful proxy,
same machine, same run, same SIPp scenarios.

Extension 1002 is a SIPp UAS (tests/sipp/call_uas.xml: 180, 200 with SDP,
waits for BYE) registered with digest auth; extension 1001 is a SIPp UAC
(tests/sipp/call_uac.xml: INVITE, 407, INVITE with credentials, 200, ACK,
BYE) calling 1002 N times at R calls/s, through
  (a) the switchboard binary: digest auth of the INVITE, dialplan, registrar
      lookup, a B2BUA with two dialogs per call, SDP rewritten to the PBX and
      an RTP relay session (two port pairs on the media threads) per call,
      a CDR row written at start and completed at the end (SQLite);
  (b) Kamailio 5.6: proxy_authorize against auth_db (SQLite subscriber
      table, read-only), usrloc lookup (in memory), record_route, t_relay
      (transaction stateful), two UDP workers. No media, no CDR.
Reported per server: SIPp's successful/failed calls and rate, the server's CPU
seconds (utime+stime of all its processes) per 1,000 calls, and the ratio.
The SIPp processes run on the same 2 cores, so the rate is capped by them.

    /usr/bin/python3 bench/call_bench.py [--rate 300] [--calls 6000] [--build build]

Not part of `make test`.
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
from harness.ports import free_port, wait_tcp  # noqa: E402
from harness.procs import Proc  # noqa: E402
from harness.sipp import SCENARIOS, _last_row, write_users  # noqa: E402
from register_bench import children_of, cpu_seconds, kamailio_db, thread_cpu  # noqa: E402

ACCOUNTS = [("1001", "Bench-Pass-1001x"), ("1002", "Bench-Pass-1002x")]

KAMAILIO_CFG = """#!KAMAILIO
debug=1
log_stderror=yes
children=2
dns=no
rev_dns=no
listen=udp:127.0.0.1:{port}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
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
modparam("usrloc", "db_mode", 0)
modparam("auth", "nonce_expire", 300)
request_route {{
  if (!mf_process_maxfwd_header("10")) {{ sl_send_reply("483", "Too Many Hops"); exit; }}
  if (has_totag()) {{
    loose_route();
    if (is_method("ACK") && !t_check_trans()) {{ t_relay(); exit; }}
    t_relay();
    exit;
  }}
  if (is_method("CANCEL")) {{ if (t_check_trans()) t_relay(); exit; }}
  if (is_method("REGISTER")) {{
    if (!www_authorize("$td", "subscriber")) {{ www_challenge("$td", "1"); exit; }}
    if (!save("location")) sl_reply_error();
    exit;
  }}
  if (is_method("INVITE")) {{
    if (!proxy_authorize("$fd", "subscriber")) {{ proxy_challenge("$fd", "1"); exit; }}
    consume_credentials();
    record_route();
    if (!lookup("location")) {{ sl_send_reply("404", "Not Found"); exit; }}
    t_relay();
    exit;
  }}
  sl_send_reply("405", "Method Not Allowed");
}}
"""


def switchboard_config(work: Path, sip: int, http: int) -> Path:
    exts = "".join(f"- number: '{u}'\n  password: {p}\n" for u, p in ACCOUNTS)
    cfg = work / "switchboard.yml"
    cfg.write_text(
        f"server:\n  sip_host: 127.0.0.1\n  sip_port: {sip}\n"
        "  rtp_port_range_start: 30000\n  rtp_port_range_end: 59999\n"
        f"api:\n  host: 127.0.0.1\n  port: {http}\n"
        f"extensions:\n{exts}"
        "security:\n  rate_limit_per_second: 0\n  max_failed_attempts: 1000\n"
        "registrar:\n  keepalive_interval: 0\n"
        f"database:\n  path: {work / 'switchboard.db'}\n"
        "logging:\n  level: warn\n  console: true\n")
    return cfg


def sipp(scenario: str, target: str, work: Path, port: int, calls: int, rate: int | None,
         users: Path | None, keys: dict, extra: list[str]) -> list[str]:
    argv = ["sipp", target, "-sf", str(SCENARIOS / f"{scenario}.xml"), "-t", "u1",
            "-m", str(calls), "-i", "127.0.0.1", "-p", str(port),
            "-mp", str(free_port("udp")), "-nostdin", "-trace_stat",
            "-stf", str(work / f"{scenario}.csv"), "-fd", "1", "-trace_err",
            "-timeout", "90", "-timeout_error", "-max_socket", "2000"]
    if rate:
        argv += ["-r", str(rate), "-l", str(max(rate * 4, 100))]
    if users:
        argv += ["-inf", str(users)]
    for k, v in keys.items():
        argv += ["-key", k, str(v)]
    return argv + extra


def run_calls(name: str, target: str, server: Proc, work: Path, rate: int, calls: int):
    work.mkdir(parents=True, exist_ok=True)
    callee_port = free_port("both")
    reg = write_users(work / "callee.csv", [ACCOUNTS[1]])
    r = subprocess.run(sipp("register_auth", target, work, callee_port, 1, None, reg,
                            {"expires": 3600}, []), cwd=work, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"{name}: callee registration failed\n{r.stdout[-2000:]}")
    # The UAS runs until stopped (-m above the call count: a call it aborted
    # must not make it quit before the last INVITEs).
    uas = Proc("sipp-uas", sipp("call_uas", target, work, callee_port, 2 * calls, None, None, {},
                                ["-d", "0"]), work / "uas.log", cwd=work)
    time.sleep(0.5)
    users = write_users(work / "caller.csv", [ACCOUNTS[0]])
    pids = children_of(server.pid)
    before = cpu_seconds(pids)
    threads_before = thread_cpu(server.pid)
    started = time.monotonic()
    r = subprocess.run(sipp("call_uac", target, work, free_port("both"), calls, rate, users,
                            {"callee": "1002"},
                            # Kamailio's two workers may pass a 180 after its 200
                            # (PEERS.md): tolerated for both servers alike.
                            ["-d", "0", "-auth_uri", f"1002@{target}",
                             "-default_behaviors", "all,-abortunexp"]),
                       cwd=work, capture_output=True, text=True)
    wall = time.monotonic() - started
    cpu = cpu_seconds(pids) - before
    threads = {k: v - threads_before.get(k, 0) for k, v in thread_cpu(server.pid).items()}
    uas.stop()
    row = _last_row(work / "call_uac.csv")
    ok = int(float(row.get("SuccessfulCall(C)", 0) or 0))
    failed = int(float(row.get("FailedCall(C)", 0) or 0))
    rate_done = float(row.get("CallRate(C)", 0) or 0)
    print(f"{name:12s} ok={ok:6d} failed={failed:4d} rate={rate_done:7.1f}/s wall={wall:6.1f}s "
          f"cpu={cpu:6.2f}s cpu_per_1000_calls={1000 * cpu / max(ok, 1):.3f}s", flush=True)
    if name == "switchboard":
        # The main thread is the core thread (SIP, calls); the rest are the
        # worker pool (CDR writes), media threads and the API thread.
        busy = sorted(threads.items(), key=lambda kv: -kv[1])[:6]
        label = lambda k: "core" if k.endswith(f"/{server.pid}") else "tid " + k.split("/")[1]  # noqa: E731
        print("  per thread: " + ", ".join(f"{label(k)} {v:.2f}s" for k, v in busy))
    if r.returncode != 0 and failed == 0:
        print(r.stdout[-2000:])
    return ok, failed, rate_done, cpu / max(ok, 1)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=300)
    ap.add_argument("--calls", type=int, default=6000)
    ap.add_argument("--build", default="build")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sb-call-bench-"))
    print(f"{args.calls} calls at {args.rate}/s, work dir {work}", flush=True)

    sb_dir = work / "switchboard"
    sb_dir.mkdir()
    sip, http = free_port("both"), free_port()
    cfg = switchboard_config(sb_dir, sip, http)
    sb = Proc("switchboard", [str(ROOT / args.build / "bin" / "switchboard"), "run", "-c",
                              str(cfg)], sb_dir / "switchboard.log", cwd=sb_dir)
    try:
        if not wait_tcp("127.0.0.1", http, 60):
            raise RuntimeError("switchboard did not start:\n" + sb.output())
        s = run_calls("switchboard", f"127.0.0.1:{sip}", sb, sb_dir, args.rate, args.calls)
    finally:
        sb.stop()

    k_dir = work / "kamailio"
    k_dir.mkdir()
    kdb = k_dir / "kamailio.db"
    kamailio_db(kdb, ACCOUNTS, "127.0.0.1")
    kport = free_port("both")
    (k_dir / "kamailio.cfg").write_text(KAMAILIO_CFG.format(port=kport, db=kdb))
    (k_dir / "run").mkdir()
    kam = Proc("kamailio", ["kamailio", "-f", str(k_dir / "kamailio.cfg"), "-DD", "-E", "-m",
                            "256", "-M", "16", "-Y", str(k_dir / "run"), "-P",
                            str(k_dir / "run" / "pid"), "-w", str(k_dir / "run")],
               k_dir / "kamailio.log", cwd=k_dir)
    try:
        time.sleep(2.0)
        if not kam.alive():
            raise RuntimeError("kamailio did not start:\n" + kam.output())
        k = run_calls("kamailio", f"127.0.0.1:{kport}", kam, k_dir, args.rate, args.calls)
    finally:
        kam.stop()
    print(f"CPU per call, switchboard/kamailio: {s[3] / k[3]:.2f}")
    return 0 if s[1] == 0 and k[1] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
