"""Issue 7 §5 and issue 9: call recording with real phones. Two baresip
phones register as 1001 (plays 700 Hz) and 1002 (plays 1100 Hz); 1001 calls
1002. With recording.auto_record the PBX records the call from its answer into
<storage>/YYYY/MM/DD/…wav: a valid 8 kHz 16-bit WAV as long as the call (CDR
answer → end, within 0.5 s) holding both tones (mixed), or with
recording.stereo one party per channel. The CDR (GET /api/v1/cdr) names the
file and the event stream carries call.recording.started/stopped. With
auto_record off the API starts and stops a recording mid-call (a user only on
their own calls) and the file covers that span only; an extension's
`record: never` (set by a reload) beats auto_record. A kill -9 mid-recording leaves a .part
file with a valid header, completed to a WAV at the next start, and the
interrupted CDR row still names it; a graceful stop (SIGTERM) completes the
file and the row."""
import math
import signal
import struct
import time
import wave
from datetime import datetime
from pathlib import Path

import pytest

from api_client import Api
from calls_helpers import cdr_rows, start_pbx, wait_until
from test_api import make_token
from test_api_events import subscribe
from test_calls_audio import goertzel_fraction, phone, tone

A_HZ, B_HZ = 700, 1100


def recording_pbx(factory, workdir: Path, extra: str = "", record_1002: str | None = None):
    storage = workdir / "recordings"
    pbx = start_pbx(factory, "security:\n  digest_algorithms: [MD5]\n"
                             f"recording:\n  storage_path: {storage}\n  format: wav\n{extra}")
    if record_1002:  # the extension's own setting, applied by a reload (SIGHUP)
        text = pbx.config_path.read_text().replace(
            "  name: User 1002\n", f"  name: User 1002\n  record: {record_1002}\n", 1)
        pbx.config_path.write_text(text)
        pbx.signal(signal.SIGHUP)
        assert pbx.proc.wait_for_output("configuration reloaded", 10), pbx.proc.output()[-2000:]
        cfg = Api(pbx.http_port, pbx.token).get("/api/v1/config").json
        assert cfg["recording"]["storage_path"] == str(storage), cfg["recording"]
        assert [e["record"] for e in cfg["extensions"]] == ["default", record_1002, "default"]
    pbx.storage = storage
    pbx.api = Api(pbx.http_port, pbx.token)
    return pbx


def phones(workdir: Path, pbx, seconds: float = 30.0):
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(seconds, A_HZ)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(seconds, B_HZ)]))
    regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
    assert wait_until(lambda: len(regs()) == 2, 15), regs()
    return a, b


def dial(pbx, a, b) -> str:
    a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
    assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
    assert b.wait_event("CALL_ESTABLISHED", 15), b.proc.output()[-3000:]
    calls = pbx.api.get("/api/v1/calls").json["calls"]
    assert len(calls) == 1, calls
    return calls[0]["call_id"]


def hang_up(a, b):
    a.command("hangup")
    assert a.wait_event("CALL_CLOSED", 10), a.proc.output()[-3000:]
    assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]


def read_wav(path: Path):
    """(channels, [samples of channel 0], [samples of channel 1] …), as floats."""
    with wave.open(str(path)) as w:
        assert w.getframerate() == 8000 and w.getsampwidth() == 2, (w.getparams(), path)
        ch = w.getnchannels()
        data = w.readframes(w.getnframes())
    s = [x / 32768 for x in struct.unpack(f"<{len(data) // 2}h", data)]
    return ch, [s[i::ch] for i in range(ch)]


def seconds_of(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def blocks(samples, skip_s=0.6, block_s=0.2):
    n = int(8000 * block_s)
    start, end = int(8000 * skip_s), len(samples) - int(8000 * 0.4)
    for i in range(start, end - n + 1, n):
        block = samples[i:i + n]
        if math.sqrt(sum(x * x for x in block) / n) > 0.01:
            yield block


def share(samples, pred) -> float:
    bs = list(blocks(samples))
    return sum(1 for b in bs if pred(b)) / len(bs) if bs else 0.0


def iso(t: str) -> datetime:
    return datetime.fromisoformat(t.replace("Z", "+00:00"))


def cdr_of(pbx, call_id: str, status="complete", timeout=5.0) -> dict:
    def row():
        rows = pbx.api.get("/api/v1/cdr").json["records"]
        return next((r for r in rows if r["call_id"] == call_id and r["status"] == status), None)
    assert wait_until(lambda: row() is not None, timeout), pbx.api.get("/api/v1/cdr").json
    return row()


def recording_events(ws, call_id: str, want: int, timeout: float = 10.0) -> list[dict]:
    out, deadline = [], time.monotonic() + timeout
    while len(out) < want and time.monotonic() < deadline:
        e = ws.recv_json()
        if e["data"].get("call_id") == call_id:
            out.append(e)
    return out


@pytest.mark.parametrize("stereo", [False, True])
def test_auto_record_both_parties_into_one_wav(switchboard_factory, workdir, stereo):
    pbx = recording_pbx(switchboard_factory, workdir,
                        f"  auto_record: true\n  stereo: {'true' if stereo else 'false'}\n")
    ws, _ = subscribe(pbx, pbx.token, types=["call.recording.started", "call.recording.stopped"])
    a, b = phones(workdir, pbx)
    try:
        call_id = dial(pbx, a, b)
        time.sleep(5.0)
        hang_up(a, b)
        events = recording_events(ws, call_id, 2)
    finally:
        ws.close()
        a.stop()
        b.stop()
    log = pbx.proc.output()
    assert [e["type"] for e in events] == ["call.recording.started", "call.recording.stopped"], \
        (events, log[-3000:])
    ref = events[0]["data"]["recording"]
    assert events[1]["data"]["recording"] == ref and "error" not in events[1]["data"], events
    # The file: under the day of the call, complete (no .part left), valid.
    path = pbx.storage / ref
    assert path.exists(), (ref, list(pbx.storage.rglob("*")))
    assert not list(pbx.storage.rglob("*.part"))
    today = datetime.utcnow()
    assert ref.startswith(f"{today:%Y/%m/%d}/") and "_1001_1002_" in ref, ref
    row = cdr_of(pbx, call_id)
    assert row["recordings"] == [ref], row
    billed = (iso(row["end_time"]) - iso(row["answer_time"])).total_seconds()
    got = seconds_of(path)
    assert abs(got - billed) <= 0.5, (got, billed)
    assert abs(events[1]["data"]["seconds"] - got) < 0.05, (events[1], got)
    channels, chans = read_wav(path)
    print(f"stereo={stereo}: {got:.2f} s recorded, call {billed:.2f} s, {channels} channel(s)")
    if not stereo:
        assert channels == 1
        both = share(chans[0], lambda x: goertzel_fraction(x, A_HZ) > 0.2
                     and goertzel_fraction(x, B_HZ) > 0.2)
        assert both >= 0.8, both
    else:
        assert channels == 2
        left = share(chans[0], lambda x: goertzel_fraction(x, A_HZ) > 0.8
                     and goertzel_fraction(x, B_HZ) < 0.05)
        right = share(chans[1], lambda x: goertzel_fraction(x, B_HZ) > 0.8
                      and goertzel_fraction(x, A_HZ) < 0.05)
        assert left >= 0.8 and right >= 0.8, (left, right)


def test_on_demand_through_the_api_records_only_the_span(switchboard_factory, workdir):
    pbx = recording_pbx(switchboard_factory, workdir, "  auto_record: false\n")
    own = Api(pbx.http_port, make_token(pbx, "user", "u1001", "1001"))
    stranger = Api(pbx.http_port, make_token(pbx, "user", "u1003", "1003"))
    a, b = phones(workdir, pbx)
    try:
        call_id = dial(pbx, a, b)
        time.sleep(2.0)
        assert not list(pbx.storage.rglob("*.wav*"))  # auto_record is off
        rec = f"/api/v1/calls/{call_id}/recording"
        r = stranger.request("POST", rec)
        assert r.status == 404 and r.json["error"] == "not_found", r  # not their call
        r = pbx.api.request("DELETE", rec)
        assert r.status == 409 and r.json["error"] == "conflict", r  # nothing to stop
        r = pbx.api.request("POST", "/api/v1/calls/no-such-call/recording")
        assert r.status == 404 and set(r.json) >= {"error", "message"}, r
        r = own.request("POST", rec)
        t0 = time.monotonic()
        assert r.status == 201, r
        ref = r.json["recording"]
        r = pbx.api.request("POST", rec)
        assert r.status == 409, r  # already recording
        time.sleep(4.0)
        r = pbx.api.request("DELETE", rec)
        span = time.monotonic() - t0
        assert r.status == 204, r
        time.sleep(2.0)
        hang_up(a, b)
    finally:
        a.stop()
        b.stop()
    path = pbx.storage / ref
    assert wait_until(path.exists, 5), list(pbx.storage.rglob("*"))
    got = seconds_of(path)
    row = cdr_of(pbx, call_id)
    billed = (iso(row["end_time"]) - iso(row["answer_time"])).total_seconds()
    print(f"on demand: {got:.2f} s recorded of a {span:.2f} s span, call {billed:.2f} s")
    assert abs(got - span) <= 0.5, (got, span)
    assert billed - got >= 3.0, (billed, got)
    assert row["recordings"] == [ref], row
    _, chans = read_wav(path)
    assert share(chans[0], lambda x: goertzel_fraction(x, A_HZ) > 0.2
                 and goertzel_fraction(x, B_HZ) > 0.2) >= 0.8


def test_an_extension_set_to_never_is_not_recorded(switchboard_factory, workdir):
    pbx = recording_pbx(switchboard_factory, workdir, "  auto_record: true\n",
                        record_1002="never")
    a, b = phones(workdir, pbx)
    try:
        call_id = dial(pbx, a, b)
        time.sleep(2.5)
        hang_up(a, b)
    finally:
        a.stop()
        b.stop()
    row = cdr_of(pbx, call_id)
    assert row["recordings"] == [], row
    assert not list(pbx.storage.rglob("*.wav*")), list(pbx.storage.rglob("*"))
    # The CSV export has the column, empty here (transfers, issue 7 §7, follow).
    r = pbx.api.request("GET", "/api/v1/cdr/export")
    lines = r.body.decode().splitlines()
    assert r.status == 200 and lines[0].endswith(",recording,transfers"), r
    assert lines[1].endswith(',"",""'), lines


def test_kill_9_mid_recording_keeps_the_file_and_its_cdr_reference(switchboard_factory,
                                                                    workdir):
    pbx = recording_pbx(switchboard_factory, workdir, "  auto_record: true\n")
    a, b = phones(workdir, pbx)
    try:
        call_id = dial(pbx, a, b)
        time.sleep(3.5)
        parts = list(pbx.storage.rglob("*.wav.part"))
        assert len(parts) == 1, list(pbx.storage.rglob("*"))
        pbx.signal(signal.SIGKILL)
        pbx.proc.wait(5)
    finally:
        a.stop()
        b.stop()
    part = parts[0]
    # What the crash left: the .part only, with a header covering what was synced.
    assert part.exists() and not part.with_suffix("").exists()
    crashed_s = seconds_of(part)
    assert crashed_s >= 1.5, crashed_s
    pbx.start()
    final = part.with_suffix("")  # x.wav.part → x.wav
    assert final.exists() and not part.exists(), list(pbx.storage.rglob("*"))
    assert "completed after a crash" in pbx.proc.output()
    got = seconds_of(final)
    channels, chans = read_wav(final)
    print(f"kill -9 after ~3.5 s: {crashed_s:.2f} s in the .part, {got:.2f} s recovered")
    assert channels == 1 and 2.0 <= got <= 4.0, got
    pbx.api = Api(pbx.http_port, pbx.token)  # the same port and token after the restart
    row = cdr_of(pbx, call_id, status="interrupted")
    assert row["recordings"] == [str(final.relative_to(pbx.storage))], row


def test_a_graceful_stop_completes_the_recording(switchboard_factory, workdir):
    pbx = recording_pbx(switchboard_factory, workdir, "  auto_record: true\n")
    a, b = phones(workdir, pbx)
    try:
        call_id = dial(pbx, a, b)
        time.sleep(2.5)
        assert pbx.stop() == 0  # SIGTERM: calls are ended, the file is completed
    finally:
        a.stop()
        b.stop()
    files = list(pbx.storage.rglob("*.wav*"))
    assert len(files) == 1 and files[0].suffix == ".wav", files
    got = seconds_of(files[0])
    print(f"SIGTERM after ~2.5 s: {got:.2f} s in the completed file")
    assert 2.0 <= got <= 3.5, got
    # The completed CDR row (the store read directly: the PBX is down) names it.
    row = [r for r in cdr_rows(pbx) if r["call_id"] == call_id][0]
    assert row["status"] == "complete", row
    assert row["recording_path"] == str(files[0].relative_to(pbx.storage)), row
