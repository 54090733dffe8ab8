"""baresip (Debian's baresip-core) as a headless softphone: one config dir per
instance, controlled over ctrl_tcp (netstrings of JSON)."""
import json
import socket
import subprocess
import time
from pathlib import Path

from .ports import free_port, wait_tcp
from .procs import Proc


def _tcp_free(port: int) -> bool:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


def make_tone_wav(path: Path, seconds: float = 5.0, freq: int = 440) -> Path:
    subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(path), "synth",
                    str(seconds), "sine", str(freq)], check=True)
    return path


class Baresip:
    def __init__(self, workdir: Path, account: str = "<sip:tester@127.0.0.1>;regint=0",
                 cafile: Path | None = None, certificate: Path | None = None,
                 audio: Path | None = None, extra: list[str] | None = None):
        self.dir = workdir
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "rec").mkdir(exist_ok=True)
        self._cafile, self._certificate, self._extra = cafile, certificate, extra or []
        self._audio = audio or make_tone_wav(self.dir / "in.wav")
        (self.dir / "accounts").write_text(account + ";answermode=auto;audio_codecs=PCMU\n")
        # baresip also opens a TLS listener on sip_port + 1. Any process (even an
        # outgoing connection's ephemeral port) can hold that port between our
        # check and baresip's bind, so a start that fails to bind retries with
        # new ports.
        for attempt in range(4):
            self._write_config()
            self.proc = Proc("baresip", ["baresip", "-f", str(self.dir), "-n", "127.0.0.1"],
                             self.dir / "baresip.log")
            if wait_tcp("127.0.0.1", self.ctrl_port, 10):
                break
            output = self.proc.output()
            self.proc.stop()
            if "Address already in use" not in output or attempt == 3:
                raise RuntimeError("baresip did not start:\n" + output)
        self.sock = socket.create_connection(("127.0.0.1", self.ctrl_port), timeout=5)
        self._buf = b""
        self.events: list[dict] = []

    def _write_config(self) -> None:
        self.sip_port = free_port("both")
        while not _tcp_free(self.sip_port + 1):
            self.sip_port = free_port("both")
        self.ctrl_port = free_port()
        while self.ctrl_port in (self.sip_port, self.sip_port + 1):
            self.ctrl_port = free_port()
        rtp = free_port("udp")
        lines = [
            f"sip_listen 127.0.0.1:{self.sip_port}",
            f"audio_source aufile,{self._audio}",
            "audio_player aubridge,nulldev", "audio_alert aubridge,nulldev",
            "ausrc_srate 8000", "auplay_srate 8000", "ausrc_channels 1", "auplay_channels 1",
            f"rtp_ports {rtp}-{rtp + 10}",
            "module_path /usr/lib/baresip/modules",
            "module g711.so", "module aufile.so", "module aubridge.so",
            "module_tmp account.so", "module_app menu.so", "module_app ctrl_tcp.so",
            f"ctrl_tcp_listen 127.0.0.1:{self.ctrl_port}",
        ]
        lines += self._extra  # e.g. module sndfile.so + snd_path to record calls
        if self._cafile:
            lines.append(f"sip_cafile {self._cafile}")
        if self._certificate:
            lines.append(f"sip_certificate {self._certificate}")
        (self.dir / "config").write_text("\n".join(lines) + "\n")

    def command(self, command: str, params: str = "") -> None:
        data = json.dumps({"command": command, "params": params, "token": command}).encode()
        self.sock.sendall(str(len(data)).encode() + b":" + data + b",")

    def wait_event(self, kind: str, timeout: float = 10.0) -> dict | None:
        """Reads events until one of type `kind` arrives (kept in self.events)."""
        deadline = time.monotonic() + timeout
        for e in self.events:
            if e.get("type") == kind:
                return e
        while time.monotonic() < deadline:
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(4096)
            except socket.timeout:
                break
            if not chunk:
                break
            self._buf += chunk
            while b":" in self._buf:
                size, rest = self._buf.split(b":", 1)
                n = int(size)
                if len(rest) < n + 1:
                    break
                msg = json.loads(rest[:n])
                self._buf = rest[n + 1:]
                if msg.get("event"):
                    self.events.append(msg)
                    if msg.get("type") == kind:
                        return msg
        return None

    def stop(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
        self.proc.stop()
