"""The SIP stack against real peers (issue 3): SIPp's built-in uac against a
UAS built on the stack over UDP and TCP, the stack's UAC against SIPp's uas,
and baresip calling over TLS."""
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, free_port
from harness import sipp
from harness.baresip import Baresip
from harness.procs import Proc

AGENT = ROOT / "build" / "bin" / "sip_test_agent"


@pytest.fixture
def cert(tmp_path) -> Path:
    key, crt = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True)
    both = tmp_path / "both.pem"
    both.write_text(crt.read_text() + key.read_text())
    return both


@pytest.fixture
def agent_uas(tmp_path, cert):
    port = free_port("both")
    tls = free_port()
    proc = Proc("sip_test_agent", [str(AGENT), "uas", "--udp", str(port), "--tcp", str(port),
                                   "--tls", str(tls), "--cert", str(cert)],
                tmp_path / "agent.log")
    assert proc.wait_for_output("READY", 10), proc.output()
    yield {"port": port, "tls": tls, "proc": proc}
    proc.stop()


@pytest.mark.parametrize("transport", ["u1", "t1"])
def test_sipp_uac_against_stack_uas_200cps_2000_calls(agent_uas, tmp_path, transport):
    result = sipp.run_uac(f"127.0.0.1:{agent_uas['port']}", tmp_path / "sipp", rate=200,
                          calls=2000, transport=transport)
    print(result)
    assert result.returncode == 0, result.log
    assert result.count("SuccessfulCall(C)") == 2000
    assert result.count("FailedCall(C)") == 0
    assert result.count("FailedUnexpectedMessage(C)") == 0
    assert result.rate > 150  # the run really went at ~200 calls/s


def test_stack_uac_against_sipp_uas(tmp_path):
    uas = sipp.SippUas(tmp_path / "uas")
    try:
        r = subprocess.run([str(AGENT), "uac", "--udp", "0", "--target",
                            f"sip:service@127.0.0.1:{uas.port}", "--calls", "300",
                            "--rate", "100", "--hold-ms", "50"],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "calls_ok=300 calls_failed=0" in r.stdout
    finally:
        result = uas.wait_successful(300)
    assert result.count("SuccessfulCall(C)") == 300, result
    assert result.count("FailedCall(C)") == 0, result


def test_baresip_calls_stack_over_tls(agent_uas, tmp_path, cert):
    phone = Baresip(tmp_path / "baresip", cafile=cert, certificate=cert)
    try:
        phone.command("dial", f"sip:uas@127.0.0.1:{agent_uas['tls']};transport=tls")
        assert phone.wait_event("CALL_ESTABLISHED", 10), phone.events
        phone.command("hangup")
        assert phone.wait_event("CALL_CLOSED", 10), phone.events
    finally:
        phone.stop()
    agent_uas["proc"].stop()
    out = agent_uas["proc"].output()
    assert "answered=1 byes=1" in out and "acks=1" in out, out
