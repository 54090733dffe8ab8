#!/usr/bin/env python3
"""Calls through the SIP stack versus Kamailio, same machine, same run.

SIPp's built-in uac places N calls at R calls/s (INVITE, 180/200, ACK, BYE)
against (a) tests/tools/sip_test_agent, a UAS on Switchboard's stack with full
transaction and dialog state, and (b) Kamailio 5.6 answering the same requests
statelessly (sl_send_reply) with one UDP worker. Reported: SIPp's success
count and rate, and the server's CPU seconds (utime+stime of all its
processes from /proc) per 1,000 calls; the ratio is the figure to compare.

    /usr/bin/python3 bench/sip_call_bench.py [--rate 1000] [--calls 10000]
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from harness import sipp  # noqa: E402
from harness.ports import free_port  # noqa: E402
from harness.procs import Proc  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from register_bench import children_of, cpu_seconds  # noqa: E402

KAMAILIO_CFG = """#!KAMAILIO
debug=1
log_stderror=yes
children=1
dns=no
rev_dns=no
listen=udp:127.0.0.1:{port}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
loadmodule "sl.so"
loadmodule "textops.so"
request_route {{
  if (is_method("INVITE")) {{ sl_send_reply("180", "Ringing"); sl_send_reply("200", "OK"); exit; }}
  if (is_method("ACK")) {{ exit; }}
  if (is_method("BYE")) {{ sl_send_reply("200", "OK"); exit; }}
  sl_send_reply("405", "Method Not Allowed");
}}
"""


def measure(name, proc, port, work, rate, calls):
    time.sleep(0.5)
    pids = children_of(proc.pid)
    before = cpu_seconds(pids)
    result = sipp.run_uac(f"127.0.0.1:{port}", work / name, rate=rate, calls=calls)
    cpu = cpu_seconds(pids) - before
    ok = result.count("SuccessfulCall(C)")
    print(f"{name:12s} ok={ok:6d} failed={result.count('FailedCall(C)'):4d} "
          f"rate={result.rate:7.1f}/s  cpu={cpu:6.2f}s  cpu_per_1000_calls={1000 * cpu / max(ok, 1):.3f}s")
    return cpu / max(ok, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--calls", type=int, default=10000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sb-callbench-"))

    port = free_port("both")
    agent = Proc("agent", [str(ROOT / "build/bin/sip_test_agent"), "uas", "--udp", str(port)],
                 work / "agent.log")
    try:
        assert agent.wait_for_output("READY", 10), agent.output()
        ours = measure("switchboard", agent, port, work, args.rate, args.calls)
    finally:
        agent.stop()

    kport = free_port("both")
    cfg = work / "kamailio.cfg"
    cfg.write_text(KAMAILIO_CFG.format(port=kport))
    kam = Proc("kamailio", ["kamailio", "-f", str(cfg), "-DD", "-E", "-m", "64", "-M", "8",
                            "-Y", str(work), "-P", str(work / "kamailio.pid")], work / "kamailio.log")
    try:
        time.sleep(1.0)
        theirs = measure("kamailio", kam, kport, work, args.rate, args.calls)
    finally:
        kam.stop()
    print(f"ratio cpu_per_call(switchboard)/cpu_per_call(kamailio) = {ours / theirs:.2f}")


if __name__ == "__main__":
    main()
