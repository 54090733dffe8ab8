"""Issue 5 §6: real audio through the B2BUA and the RTP relay. Two baresip
phones register as 1001 and 1002; 1001 calls 1002 and plays 1 kHz then 2 kHz,
1002 plays 500 Hz; each records what it receives (sndfile module). The test
checks the tones arrive in order and at level, both ways, and that the CDR
row carries the relay's packet counters."""
import math
import struct
import subprocess
import wave
from pathlib import Path

import pytest

from calls_helpers import PW, cdr_rows, start_pbx, wait_until
from harness.baresip import Baresip

FREQS = (500, 1000, 2000)


def tone(path: Path, parts: list[tuple[float, int]]) -> Path:
    """A 8 kHz s16 mono WAV from (seconds, Hz) parts; 0 Hz is silence."""
    files = []
    for i, (secs, hz) in enumerate(parts):
        f = path.with_name(f"{path.stem}-{i}.wav")
        synth = ["synth", str(secs), "sine", str(hz), "gain", "-6"] if hz else ["trim", "0", str(secs)]
        subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(f)] + synth,
                       check=True)
        files.append(str(f))
    subprocess.run(["sox"] + files + [str(path)], check=True)
    return path


def goertzel_fraction(block: list[float], hz: int, rate: int = 8000) -> float:
    """Share of the block's energy at `hz` (about 1 for a pure tone)."""
    w = 2 * math.pi * hz / rate
    c = 2 * math.cos(w)
    s1 = s2 = 0.0
    for x in block:
        s1, s2 = x + c * s1 - s2, s1
    power = s1 * s1 + s2 * s2 - c * s1 * s2
    energy = sum(x * x for x in block)
    return power / (len(block) / 2 * energy) if energy > 0 else 0.0


def tones_in(path: Path, block_s: float = 0.2) -> list[tuple[int, float]]:
    """Per block: the dominant tone among FREQS (0 if none) and its RMS level."""
    with wave.open(str(path)) as w:
        assert w.getframerate() == 8000 and w.getsampwidth() == 2, (w.getframerate(), path)
        data = w.readframes(w.getnframes())
    samples = [s / 32768 for s in struct.unpack(f"<{len(data) // 2}h", data)]
    n = int(8000 * block_s)
    out = []
    for i in range(0, len(samples) - n + 1, n):
        block = samples[i:i + n]
        rms = math.sqrt(sum(x * x for x in block) / n)
        best = max(FREQS, key=lambda f: goertzel_fraction(block, f))
        out.append((best if rms > 0.01 and goertzel_fraction(block, best) > 0.6 else 0, rms))
    return out


def phone(workdir: Path, pbx, ext: str, audio: Path, law: str = "PCMU") -> Baresip:
    return Baresip(workdir / f"phone-{ext}",
                   account=(f"<sip:{ext}@127.0.0.1:{pbx.sip_port}>;auth_pass={PW[ext]};"
                            f"regint=60;audio_codecs={law}"),
                   audio=audio,
                   extra=["module sndfile.so", f"snd_path {workdir / f'phone-{ext}' / 'rec'}"])


@pytest.mark.parametrize("callee_law", ["PCMU", "PCMA"])
def test_tones_cross_the_relay_both_ways(switchboard_factory, workdir, callee_law):
    """With a PCMA-only callee the relay transcodes PCMU <-> PCMA."""
    pbx = start_pbx(switchboard_factory, "security:\n  digest_algorithms: [MD5]\n")
    a_wav = tone(workdir / "a.wav", [(0.6, 0), (1.5, 1000), (1.5, 2000), (1.0, 0)])
    b_wav = tone(workdir / "b.wav", [(8.0, 500)])
    a = phone(workdir, pbx, "1001", a_wav)
    b = phone(workdir, pbx, "1002", b_wav, callee_law)
    try:
        regs = lambda: pbx.get("/api/v1/registrations")[1]["registrations"]  # noqa: E731
        assert wait_until(lambda: len(regs()) == 2, 15), regs()
        a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        # The caller's file ends the call (aufile: EOF hangs up).
        assert a.wait_event("CALL_CLOSED", 20), a.proc.output()[-3000:]
        assert b.wait_event("CALL_CLOSED", 10), b.proc.output()[-3000:]
    finally:
        a.stop()
        b.stop()

    b_heard = tones_in(next((workdir / "phone-1002" / "rec").glob("*-dec.wav")))
    a_heard = tones_in(next((workdir / "phone-1001" / "rec").glob("*-dec.wav")))
    got_b = [f for f, _ in b_heard]
    assert got_b.count(1000) >= 5 and got_b.count(2000) >= 5, b_heard
    assert got_b.index(1000) < got_b.index(2000), got_b
    assert max(i for i, f in enumerate(got_b) if f == 1000) < got_b.index(2000), got_b
    # Sent at -6 dBFS (RMS 0.35); G.711 twice (phone → PBX → phone) keeps the level.
    for f, rms in b_heard:
        if f in (1000, 2000):
            assert 0.2 < rms < 0.5, b_heard
    got_a = [f for f, _ in a_heard]
    assert got_a.count(500) >= 10, a_heard
    assert 1000 not in got_a and 2000 not in got_a, a_heard  # no echo of our own tones

    row = cdr_rows(pbx)[0]
    codec = "PCMU/8000" if callee_law == "PCMU" else "PCMU/8000 <-> PCMA/8000"
    assert row["disposition"] == "ANSWERED" and row["codec"] == codec, row
    # ~4.6 s of 20 ms packets from each phone crossed the relay.
    assert row["packets_caller"] > 150 and row["packets_callee"] > 150, row
