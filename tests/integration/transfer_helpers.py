"""Tone analysis for the transfer tests: which of the parties' tones is heard,
block by block (0.2 s), in a baresip recording or in what the scripted UA's
RTP stream received."""
import math
import struct
import wave
from pathlib import Path

from test_calls_audio import goertzel_fraction

FREQS = (500, 1000, 1500)  # 1002, 1001, 1003
BLOCK_S = 0.2


def block_details(samples: list[float], freqs=FREQS,
                  block_s: float = BLOCK_S) -> list[tuple[int, float, float]]:
    """Per block: (dominant tone among freqs or 0, its energy fraction, RMS).
    A block counts as a tone when it is not silent and the winning tone holds
    > 60 % of its energy (a mix of two parties' tones does not)."""
    n = int(8000 * block_s)
    out = []
    for i in range(0, len(samples) - n + 1, n):
        block = samples[i:i + n]
        rms = math.sqrt(sum(x * x for x in block) / n)
        fractions = {f: goertzel_fraction(block, f) for f in freqs}
        best = max(fractions, key=fractions.get)
        ok = rms > 0.01 and fractions[best] > 0.6
        out.append((best if ok else 0, fractions[best], rms))
    return out


def blocks(samples: list[float], freqs=FREQS, block_s: float = BLOCK_S) -> list[int]:
    """Per block: the dominant tone among freqs, 0 when silent or mixed."""
    return [f for f, _, _ in block_details(samples, freqs, block_s)]


def tone_stats(samples: list[float], hz: int) -> tuple[int, float, float]:
    """(blocks where hz dominates, their mean energy fraction, mean RMS)."""
    hits = [(fr, rms) for f, fr, rms in block_details(samples) if f == hz]
    if not hits:
        return 0, 0.0, 0.0
    return (len(hits), sum(fr for fr, _ in hits) / len(hits),
            sum(rms for _, rms in hits) / len(hits))


def recording(workdir: Path, ext: str) -> list[float]:
    """The samples baresip `ext` recorded (all its *-dec.wav, in order)."""
    samples: list[float] = []
    files = sorted((workdir / f"phone-{ext}" / "rec").glob("*-dec.wav"),
                   key=lambda p: p.stat().st_mtime)
    assert files, f"no recording of {ext}"
    for path in files:
        with wave.open(str(path)) as w:
            assert w.getframerate() == 8000 and w.getsampwidth() == 2, path
            data = w.readframes(w.getnframes())
        samples += [s / 32768 for s in struct.unpack(f"<{len(data) // 2}h", data)]
    return samples


def received_blocks(rtp, since: float = 0.0) -> list[int]:
    """Blocks of what a scripted UA's RtpStream received since a monotonic time."""
    return blocks(rtp.samples(since=since))


def dominant_runs(seq: list[int], min_blocks: int = 1) -> list[tuple[int, int]]:
    """[1000, 1000, 0, 1500] → [(1000, 2), (0, 1), (1500, 1)]; runs shorter
    than min_blocks are dropped (and equal neighbours merged again)."""
    out: list[tuple[int, int]] = []
    for f in seq:
        if out and out[-1][0] == f:
            out[-1] = (f, out[-1][1] + 1)
        else:
            out.append((f, 1))
    if min_blocks > 1:
        merged: list[tuple[int, int]] = []
        for f, n in out:
            if n < min_blocks:
                continue
            if merged and merged[-1][0] == f:
                merged[-1] = (f, merged[-1][1] + n)
            else:
                merged.append((f, n))
        out = merged
    return out


def total(seq: list[int], hz: int) -> int:
    """Blocks in which `hz` dominates."""
    return sum(1 for f in seq if f == hz)


def tones_of(seq: list[int], min_blocks: int = 3) -> list[int]:
    """The order of tones heard for ≥ min_blocks blocks in a row (≥ 0.6 s),
    silence left out: [1000, 1500] = 1 kHz first, then 1.5 kHz."""
    out: list[int] = []
    for f, n in dominant_runs(seq, 1):
        if f and n >= min_blocks and (not out or out[-1] != f):
            out.append(f)
    return out
