"""Voicemail-to-email (issue 8 §5) against a real SMTP server: Debian's
aiosmtpd, started by each test on 127.0.0.1 and a free port, with STARTTLS
(a self-signed certificate made here, verified by the client) and AUTH
required — or implicit TLS. The sender is features/mail's MailService run by
tests/tools/mail_tool (the real libcurl mailer, store and outbox); the
received mail is parsed with Python's email and wave modules."""
import email
import email.policy
import io
import json
import math
import os
import sqlite3
import ssl
import struct
import subprocess
import time
import wave
from pathlib import Path

import pytest

from conftest import BINARY
from harness.ports import free_port, wait_tcp

MAIL_TOOL = BINARY.parent / "mail_tool"
# aiosmtpd warns when AUTH is allowed without STARTTLS; with implicit TLS the
# whole connection is encrypted (aiosmtpd's check only knows STARTTLS), and the
# plain server is only for the PBX end-to-end test.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
PASSWORD = "Smtp-Pass-4711"
USER = "voicemail"

# python3-aiosmtpd (scripts/bootstrap): a missing server fails the tests, never skips them.
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import AuthResult, LoginPassword  # noqa: E402


def make_cert(d: Path) -> tuple[Path, Path]:
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                    str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def make_wav(path: Path, seconds: float = 1.0, rate: int = 8000) -> bytes:
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                      for i in range(int(seconds * rate)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return path.read_bytes()


class SmtpPeer:
    """aiosmtpd in this process: records every accepted message with its
    envelope, whether the session was authenticated and encrypted."""

    def __init__(self, port: int, cert: Path | None, key: Path | None, implicit_tls: bool = False,
                 password: str = PASSWORD):
        """No certificate: plain SMTP with AUTH (for a PBX config without a CA
        file: voicemail.smtp has no key for one)."""
        self.port, self.cert, self.key, self.implicit_tls = port, cert, key, implicit_tls
        self.password = password
        self.messages: list[dict] = []
        self.login_results: list[tuple[str, bool]] = []
        self.controller = None

    # aiosmtpd handler
    async def handle_DATA(self, server, session, envelope):
        ssl_object = server.transport.get_extra_info("ssl_object") if server.transport else None
        self.messages.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                              "data": envelope.original_content or envelope.content,
                              "authenticated": bool(session.authenticated),
                              "tls": ssl_object is not None})
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
              and auth_data.password == self.password.encode())
        self.login_results.append((mechanism, ok))
        # handled=False: aiosmtpd itself answers 535 to a failed login.
        return AuthResult(success=ok, handled=False)

    def start(self) -> "SmtpPeer":
        common = dict(hostname="127.0.0.1", port=self.port, authenticator=self.authenticate,
                      auth_required=True)
        if self.cert is None:
            self.controller = Controller(self, auth_require_tls=False, **common)
            self.controller.start()
            assert wait_tcp("127.0.0.1", self.port, 10)
            return self
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(str(self.cert), str(self.key))
        if self.implicit_tls:
            # The whole connection is TLS; aiosmtpd's auth_require_tls only
            # knows STARTTLS, so it is off here.
            self.controller = Controller(self, ssl_context=ctx, auth_require_tls=False, **common)
        else:
            self.controller = Controller(self, tls_context=ctx, require_starttls=True,
                                         auth_require_tls=True, **common)
        self.controller.start()
        assert wait_tcp("127.0.0.1", self.port, 10)
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_messages(self, n: int, timeout: float = 20.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.messages) < n:
            time.sleep(0.05)
        return self.messages


@pytest.fixture
def certs(tmp_path):
    return make_cert(tmp_path)


@pytest.fixture
def smtp_factory(certs):
    started: list[SmtpPeer] = []

    def make(port: int | None = None, implicit_tls: bool = False, start: bool = True) -> SmtpPeer:
        peer = SmtpPeer(port or free_port(), certs[0], certs[1], implicit_tls)
        started.append(peer)
        return peer.start() if start else peer

    yield make
    for p in started:
        p.stop()


class MailTool:
    def __init__(self, workdir: Path, port: int, ca: Path, security: str = "starttls",
                 password: str = PASSWORD, extra: list[str] | None = None):
        assert MAIL_TOOL.exists(), f"{MAIL_TOOL} is not built (cmake --build … --target mail_tool)"
        self.workdir = workdir
        self.db = workdir / "switchboard.db"
        self.base = [str(MAIL_TOOL), "--db", str(self.db), "--smtp-host", "127.0.0.1",
                     "--smtp-port", str(port), "--security", security, "--user", USER,
                     "--ca-file", str(ca), "--from", "voicemail@example.com",
                     "--from-name", "Example Voicemail",
                     "--subject-template", "New Voicemail from {caller_id} ({caller_name}) - "
                                           "{mailbox} {duration}",
                     "--retry-initial-ms", "300", "--retry-max-ms", "1000", *(extra or [])]
        self.env = {**os.environ, "SB_SMTP_PASSWORD": password}
        self.logs: list[str] = []

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        r = subprocess.run(self.base + list(args), env=self.env, capture_output=True, text=True,
                           timeout=timeout, cwd=self.workdir)
        self.logs.append(r.stdout + r.stderr)
        return r

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(self.base + list(args), env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, cwd=self.workdir)

    def enqueue(self, wav: Path, caller_id="1002", caller_name="Bob Builder", mailbox="1001",
                email_addr="alice@example.com", duration_ms=1000) -> dict:
        r = self.run("enqueue", "--wav", str(wav), "--mailbox", mailbox, "--caller-id", caller_id,
                     "--caller-name", caller_name, "--duration-ms", str(duration_ms),
                     "--email", email_addr)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout.strip().splitlines()[-1])

    def status(self) -> list[dict]:
        r = self.run("status")
        assert r.returncode == 0, r.stderr
        return [json.loads(line) for line in r.stdout.splitlines() if line.strip()]


def parse(msg: dict) -> email.message.EmailMessage:
    return email.message_from_bytes(msg["data"], policy=email.policy.default)


def assert_wav_attachment(m: email.message.EmailMessage, original: bytes):
    parts = [p for p in m.iter_attachments()]
    assert len(parts) == 1, m.as_string()[:2000]
    part = parts[0]
    assert part.get_content_type() == "audio/wav"
    assert part.get_filename().endswith(".wav")
    assert part["Content-Transfer-Encoding"] == "base64"
    data = part.get_content()
    assert data == original
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 8000)
        assert w.getnframes() == 8000


def test_email_arrives_with_headers_and_a_valid_wav(tmp_path, certs, smtp_factory):
    smtp = smtp_factory()
    wav = tmp_path / "msg.wav"
    original = make_wav(wav)
    tool = MailTool(tmp_path, smtp.port, certs[0])
    # The voicemail feature's path: the message is stored, then handed to
    # MailService::message_stored().
    r = tool.run("run", "--timeout", "30", "--deposit-wav", str(wav), "--deposit-mailbox", "1001",
                 "--deposit-caller-id", "1002", "--deposit-caller-name", "Bob Builder",
                 "--deposit-duration-ms", "1000", "--deposit-email", "alice@example.com")
    assert r.returncode == 0, r.stdout + r.stderr
    msgs = smtp.wait_messages(1)
    assert len(msgs) == 1
    got = msgs[0]
    assert got["from"] == "voicemail@example.com"
    assert got["to"] == ["alice@example.com"]
    assert got["authenticated"] and got["tls"]
    m = parse(got)
    assert m["Subject"] == "New Voicemail from 1002 (Bob Builder) - 1001 0:01"
    assert m["From"].addresses[0].addr_spec == "voicemail@example.com"
    assert m["From"].addresses[0].display_name == "Example Voicemail"
    assert m["To"].addresses[0].addr_spec == "alice@example.com"
    assert m["Date"].datetime is not None
    assert m["Message-ID"].endswith("@example.com>")
    assert m["X-Switchboard-Mailbox"] == "1001"
    body = m.get_body(preferencelist=("plain",)).get_content()
    assert "Bob Builder (1002)" in body and "0:01" in body
    assert_wav_attachment(m, original)
    rows = tool.status()
    assert [(x["status"], x["attempts"]) for x in rows] == [("sent", 1)]
    assert wav.exists()  # delete-after-email is off
    assert PASSWORD not in "".join(tool.logs)


def test_wrong_credentials_are_retried_not_lost(tmp_path, certs, smtp_factory):
    smtp = smtp_factory()
    wav = tmp_path / "msg.wav"
    original = make_wav(wav)
    tool = MailTool(tmp_path, smtp.port, certs[0], password="Wrong-Pass-1")
    tool.enqueue(wav)
    r = tool.run("run", "--timeout", "3")
    assert r.returncode == 2, r.stdout + r.stderr  # still pending when it gave up waiting
    rows = tool.status()
    assert len(rows) == 1 and rows[0]["status"] == "pending"
    assert rows[0]["attempts"] >= 2  # retried with backoff
    assert "Login denied" in rows[0]["last_error"] or "535" in rows[0]["last_error"]
    assert smtp.messages == []
    assert smtp.login_results and not any(ok for _, ok in smtp.login_results)

    # The server's password changes to what the tool sends, while the tool
    # keeps retrying: the same e-mail then goes through, once.
    p = tool.start("run", "--timeout", "30")
    time.sleep(1.0)
    smtp.password = "Wrong-Pass-1"
    out, _ = p.communicate(timeout=60)
    assert p.returncode == 0, out
    assert len(smtp.wait_messages(1)) == 1
    time.sleep(0.5)
    assert len(smtp.messages) == 1
    assert_wav_attachment(parse(smtp.messages[0]), original)
    assert [x["status"] for x in tool.status()] == ["sent"]
    logs = "".join(tool.logs) + out
    assert "Wrong-Pass-1" not in logs and PASSWORD not in logs


def test_server_down_keeps_the_message_and_delivers_when_back(tmp_path, certs, smtp_factory):
    port = free_port()
    wav = tmp_path / "msg.wav"
    original = make_wav(wav)
    tool = MailTool(tmp_path, port, certs[0], extra=["--delete-after-email"])
    ids = tool.enqueue(wav)
    # No server: the tool gives up waiting, the e-mail stays queued and the
    # message and its WAV stay (delete-after-email waits for acceptance).
    r = tool.run("run", "--timeout", "2")
    assert r.returncode == 2
    rows = tool.status()
    assert rows[0]["status"] == "pending" and rows[0]["attempts"] >= 1
    assert "onnect" in rows[0]["last_error"]
    assert wav.exists()
    with sqlite3.connect(tool.db) as db:
        assert db.execute("SELECT COUNT(*) FROM voicemail_messages WHERE id = ?",
                          (ids["voicemail_id"],)).fetchone()[0] == 1

    # A new run (a restart) retries; the server comes up meanwhile.
    p = tool.start("run", "--timeout", "30")
    time.sleep(1.5)
    assert p.poll() is None  # still retrying
    smtp = smtp_factory(port=port)
    out, _ = p.communicate(timeout=60)
    assert p.returncode == 0, out
    msgs = smtp.wait_messages(1)
    assert len(msgs) == 1
    m = parse(msgs[0])
    assert_wav_attachment(m, original)
    assert "removed from your mailbox" in m.get_body(preferencelist=("plain",)).get_content()
    assert [x["status"] for x in tool.status()] == ["sent"]
    # Accepted: now the message and its WAV are gone.
    assert not wav.exists()
    with sqlite3.connect(tool.db) as db:
        assert db.execute("SELECT COUNT(*) FROM voicemail_messages").fetchone()[0] == 0


def test_implicit_tls(tmp_path, certs, smtp_factory):
    smtp = smtp_factory(implicit_tls=True)
    wav = tmp_path / "msg.wav"
    original = make_wav(wav)
    tool = MailTool(tmp_path, smtp.port, certs[0], security="tls")
    tool.enqueue(wav, caller_id="5550100", caller_name="")
    r = tool.run("run", "--timeout", "30")
    assert r.returncode == 0, r.stdout + r.stderr
    msgs = smtp.wait_messages(1)
    assert len(msgs) == 1 and msgs[0]["tls"] and msgs[0]["authenticated"]
    m = parse(msgs[0])
    assert m["Subject"] == "New Voicemail from 5550100 () - 1001 0:01"
    assert_wav_attachment(m, original)


def test_untrusted_certificate_is_refused_and_kept(tmp_path, certs, smtp_factory):
    smtp = smtp_factory()
    wav = tmp_path / "msg.wav"
    make_wav(wav)
    (tmp_path / "other").mkdir()
    other_cert, _ = make_cert(tmp_path / "other")  # not the certificate the server has
    tool = MailTool(tmp_path, smtp.port, other_cert)
    tool.enqueue(wav)
    r = tool.run("run", "--timeout", "2")
    assert r.returncode == 2
    rows = tool.status()
    assert rows[0]["status"] == "pending"
    assert smtp.messages == [] and smtp.login_results == []  # no password to an unverified peer


def test_daily_reminder_lists_unread_messages(tmp_path, certs, smtp_factory):
    smtp = smtp_factory()
    tool = MailTool(tmp_path, smtp.port, certs[0], extra=["--no-attachment"])
    for i, caller in enumerate(("1002", "1003")):
        wav = tmp_path / f"m{i}.wav"
        make_wav(wav)
        tool.enqueue(wav, caller_id=caller, caller_name=f"Caller {caller}")
    r = tool.run("run", "--timeout", "30", "--remind", "--extension-email",
                 "1001=alice@example.com")
    assert r.returncode == 0, r.stdout + r.stderr
    msgs = smtp.wait_messages(3)
    subjects = sorted(parse(x)["Subject"] for x in msgs)
    assert len(msgs) == 3, subjects
    assert "Reminder: 2 unread voicemail messages in mailbox 1001" in subjects
    reminder = next(parse(x) for x in msgs if parse(x)["Subject"].startswith("Reminder"))
    body = reminder.get_body(preferencelist=("plain",)).get_content()
    assert "Caller 1002 (1002)" in body and "Caller 1003 (1003)" in body
    assert reminder["To"].addresses[0].addr_spec == "alice@example.com"
    assert not list(reminder.iter_attachments())
