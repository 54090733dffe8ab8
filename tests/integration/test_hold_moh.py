"""Issue 7 §1: hold with music on hold, with real phones. Two baresip phones
(1001 plays 1 kHz, 1002 plays 500 Hz); 1001 calls 1002, puts it on hold
(baresip's re-INVITE with a=sendonly) and resumes. The PBX answers both
re-INVITEs itself: 1002 is never re-INVITEd and hears the music-on-hold class
(a 1500 Hz file here) while held, then 1001's tone again. Events and the
relay's behaviour are checked through what the held phone recorded."""
import time

from calls_helpers import start_pbx, wait_until
from harness.baresip import Baresip
from test_calls_audio import goertzel_fraction, phone, tone

import math
import struct
import wave


def dominant(path, freqs=(500, 1000, 1500), block_s=0.2):
    with wave.open(str(path)) as w:
        data = w.readframes(w.getnframes())
    samples = [s / 32768 for s in struct.unpack(f"<{len(data) // 2}h", data)]
    n = int(8000 * block_s)
    out = []
    for i in range(0, len(samples) - n + 1, n):
        block = samples[i:i + n]
        rms = math.sqrt(sum(x * x for x in block) / n)
        best = max(freqs, key=lambda f: goertzel_fraction(block, f))
        out.append(best if rms > 0.01 and goertzel_fraction(block, best) > 0.6 else 0)
    return out


def runs(seq):
    """[1000, 1000, 0, 1500] → [(1000, 2), (0, 1), (1500, 1)]"""
    out = []
    for f in seq:
        if out and out[-1][0] == f:
            out[-1] = (f, out[-1][1] + 1)
        else:
            out.append((f, 1))
    return out


def test_held_party_hears_music_then_the_caller_again(switchboard_factory, workdir):
    moh = workdir / "moh" / "default"
    moh.mkdir(parents=True)
    tone(moh / "music.wav", [(3.0, 1500)])  # loops seamlessly
    pbx = start_pbx(switchboard_factory,
                    "security:\n  digest_algorithms: [MD5]\n"
                    f"music_on_hold:\n  directory: {workdir / 'moh'}\n  default_class: default\n")
    a = phone(workdir, pbx, "1001", tone(workdir / "a.wav", [(12.0, 1000)]))
    b = phone(workdir, pbx, "1002", tone(workdir / "b.wav", [(14.0, 500)]))
    try:
        regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
        assert wait_until(lambda: len(regs()) == 2, 15), regs()
        a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        time.sleep(2.5)
        a.command("hold")
        time.sleep(3.5)
        a.command("resume")
        time.sleep(2.5)
        a.command("hangup")
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()
    log = pbx.proc.output() if pbx.proc else ""
    heard = runs(dominant(next((workdir / "phone-1002" / "rec").glob("*-dec.wav"))))
    tones = [(f, n) for f, n in heard if f and n >= 3]  # ≥ 0.6 s of a tone
    freqs = [f for f, _ in tones]
    # The caller, then the music while held (≥ 2 s of it), then the caller again.
    assert freqs[:3] == [1000, 1500, 1000], (heard, log[-2000:])
    assert dict((f, n) for f, n in tones[1:2])[1500] >= 10, heard
    # The PBX answered the hold and the resume itself.
    assert "side A holds" in log and "side A resumes" in log, log[-3000:]
