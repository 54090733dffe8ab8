"""Voicemail-to-email end to end (issue 8 §5, §7): a real baresip phone
leaves a message (espeak-ng speech) in a mailbox of the real PBX, and the
PBX e-mails it with the WAV attached to a real aiosmtpd requiring AUTH; with
the SMTP server down the message is kept, and after a restart of the PBX the
e-mail goes out once the server is back.

The PBX's config has no key for a private CA, so this server speaks plain
SMTP with AUTH; STARTTLS, implicit TLS and certificate checks run against
aiosmtpd in test_voicemail_email.py through the same MailService."""
import time
from pathlib import Path

import pytest

from conftest import TEST_ENV, free_port, wait_until
from test_voicemail import (messages, phone, registered, speech_after_silence,  # noqa: F401
                            start_vm_pbx, db_rows)
from test_voicemail_email import SmtpPeer, assert_wav_attachment, parse

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

SMTP_PASSWORD = TEST_ENV["SMTP_PASSWORD"]


def mail_config(smtp_port: int) -> str:
    # Lines of the voicemail: block that start_vm_pbx opens.
    return ("  email_notifications: true\n"
            "  smtp:\n"
            "    host: 127.0.0.1\n"
            f"    port: {smtp_port}\n"
            "    use_tls: false\n"
            "    username: voicemail\n"
            "    password: ${SMTP_PASSWORD}\n"
            "  email:\n"
            "    from_address: voicemail@example.com\n"
            "    from_name: Example Voicemail\n"
            "    subject_template: 'Voicemail for {mailbox} from {caller_id} ({duration})'\n"
            "    include_attachment: true\n")


def with_email(factory):
    """The PBX factory, with an e-mail address for extension 1002 (and MD5
    digests, all baresip 1.0 answers)."""
    def make(cfg, env=None):
        cfg = cfg.replace("  name: User 1002\n", "  name: User 1002\n  email: bob@example.com\n", 1)
        if "digest_algorithms" not in cfg:
            cfg = cfg.replace("voicemail:\n", "security:\n  digest_algorithms: [MD5]\nvoicemail:\n", 1)
        return factory(cfg, env)
    return make


def leave_message(workdir: Path, pbx) -> dict:
    """1001 calls 1002, which is not registered: busy → its mailbox."""
    audio = speech_after_silence(workdir / "caller.wav", 15.0,
                                 "Hello Bob, this is Ada. Please call me back. Thank you.", 1.5)
    a = phone(workdir, pbx, "1001", audio)
    try:
        assert wait_until(lambda: registered(pbx, 1), 15)
        a.command("dial", f"sip:1002@127.0.0.1:{pbx.sip_port}")
        assert a.wait_event("CALL_ESTABLISHED", 15), a.proc.output()[-3000:]
        assert a.wait_event("CALL_CLOSED", 40), a.proc.output()[-3000:]
    finally:
        a.stop()
    rows = wait_until(lambda: messages(pbx, "1002"), 10)
    assert rows and len(rows) == 1, rows
    return rows[0]


def outbox(pbx) -> list[dict]:
    try:
        return db_rows(pbx, "SELECT * FROM mail_outbox ORDER BY id")
    except Exception:  # noqa: BLE001 — the table appears with the first start
        return []


def wav_path(pbx, row: dict) -> Path:
    p = Path(row["file_path"])
    return p if p.is_absolute() else pbx.workdir / p


def check_email(got: dict, row: dict, wav: bytes):
    assert got["from"] == "voicemail@example.com"
    assert got["to"] == ["bob@example.com"]
    assert got["authenticated"]
    m = parse(got)
    secs = round(row["duration_ms"] / 1000)
    assert m["Subject"] == f"Voicemail for 1002 from 1001 ({secs // 60}:{secs % 60:02})", m["Subject"]
    assert m["To"].addresses[0].addr_spec == "bob@example.com"
    body = m.get_body(preferencelist=("plain",)).get_content()
    assert "1001" in body and "mailbox 1002" in body
    part = next(m.iter_attachments())
    assert part.get_content_type() == "audio/wav"
    assert part.get_content() == wav  # the stored recording, byte for byte


def test_left_message_is_emailed_with_its_recording(switchboard_factory, workdir):
    smtp = SmtpPeer(free_port(), None, None, password=SMTP_PASSWORD).start()
    try:
        pbx = start_vm_pbx(with_email(switchboard_factory), extra=mail_config(smtp.port))
        row = leave_message(workdir, pbx)
        msgs = smtp.wait_messages(1, timeout=20)
        assert len(msgs) == 1, pbx.proc.output()[-3000:]
        wav = wav_path(pbx, row).read_bytes()
        check_email(msgs[0], row, wav)
        import io
        import wave
        with wave.open(io.BytesIO(wav)) as w:
            assert w.getnchannels() == 1 and w.getframerate() == 8000
            assert abs(w.getnframes() / 8000 * 1000 - row["duration_ms"]) < 100
        sent = wait_until(lambda: [r for r in outbox(pbx) if r["status"] == "sent"], 5)
        assert sent and sent[0]["voicemail_id"] == row["id"] and sent[0]["attempts"] == 1
        time.sleep(0.5)
        assert len(smtp.messages) == 1  # once
        assert SMTP_PASSWORD not in pbx.proc.output()
        log = pbx.workdir / "log" / "switchboard.log"
        assert not log.exists() or SMTP_PASSWORD not in log.read_text(errors="replace")
    finally:
        smtp.stop()


def test_smtp_down_keeps_the_email_across_a_restart(switchboard_factory, workdir):
    port = free_port()
    factory = with_email(switchboard_factory)
    pbx = start_vm_pbx(factory, extra=mail_config(port))  # nothing listens on `port`
    row = leave_message(workdir, pbx)
    pending = wait_until(lambda: [r for r in outbox(pbx) if r["attempts"] >= 1], 10)
    assert pending and pending[0]["status"] == "pending", outbox(pbx)
    assert "onnect" in pending[0]["last_error"]
    assert pbx.stop() == 0

    smtp = SmtpPeer(port, None, None, password=SMTP_PASSWORD).start()
    try:
        pbx.start()  # the same store: the pending row is resumed
        msgs = smtp.wait_messages(1, timeout=40)  # after its backoff (10 s, then 20 s)
        assert len(msgs) == 1, pbx.proc.output()[-3000:]
        check_email(msgs[0], row, wav_path(pbx, row).read_bytes())
        assert wait_until(lambda: [r for r in outbox(pbx) if r["status"] == "sent"], 5)
    finally:
        smtp.stop()
