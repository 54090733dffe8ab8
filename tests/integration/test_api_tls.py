"""Issue 9: the API over HTTPS with a self-signed certificate made here with
openssl: TLS 1.2+ only, the login cookie is Secure, plain HTTP is refused,
the WebSocket upgrade is not offered in clear."""
import socket
import ssl
import subprocess

import pytest

from api_client import Api
from conftest import free_port, minimal_config


@pytest.fixture
def tls_pbx(switchboard_factory, workdir):
    cert, key = workdir / "api.crt", workdir / "api.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    port = free_port()
    cfg = minimal_config(port, free_port("both")).replace(
        "api:\n", f"api:\n  tls_cert_file: {cert}\n  tls_key_file: {key}\n", 1)
    sb = switchboard_factory(cfg)
    sb.start(expect_ready=False)
    assert sb.proc.wait_for_output(f"HTTP API listening on https://127.0.0.1:{port}", 15), \
        sb.proc.output()
    assert sb.admin_token()
    sb.http_port = port
    sb.cert = str(cert)
    return sb


def test_https_with_tls12_or_later(tls_pbx):
    api = Api(tls_pbx.http_port, tls_pbx.token, tls_ca=tls_pbx.cert)
    r = api.get("/api/v1/status")
    assert r.status == 200 and r.json["version"]
    # Keep-alive over TLS.
    conn = api.connection()
    for _ in range(5):
        assert api.get("/health", conn=conn).status == 200
    conn.close()
    # TLS 1.1 and older are refused.
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(tls_pbx.cert)
    ctx.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    try:
        ctx.set_ciphers("ALL:@SECLEVEL=0")
    except ssl.SSLError:
        pass
    with socket.create_connection(("127.0.0.1", tls_pbx.http_port), timeout=5) as s:
        with pytest.raises((ssl.SSLError, ConnectionResetError)):
            with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
                t.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                t.recv(100)
    # TLS 1.2 exactly is accepted.
    ctx12 = ssl.create_default_context(cafile=tls_pbx.cert)
    ctx12.maximum_version = ssl.TLSVersion.TLSv1_2
    with socket.create_connection(("127.0.0.1", tls_pbx.http_port), timeout=5) as s:
        with ctx12.wrap_socket(s, server_hostname="127.0.0.1") as t:
            assert t.version() == "TLSv1.2"
    # Plain HTTP on the TLS port gets no HTTP answer.
    with socket.create_connection(("127.0.0.1", tls_pbx.http_port), timeout=5) as s:
        s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        s.settimeout(5)
        try:
            data = s.recv(100)
        except (ConnectionResetError, socket.timeout):
            data = b""
        assert not data.startswith(b"HTTP/1.1 200")


def test_login_cookie_is_secure_over_https(tls_pbx):
    from test_api import cli
    r = cli(tls_pbx, "user", "create", "--username", "bob", "--role", "user", "--extension",
            "1002", stdin="Bob-password-1\n")
    assert r.returncode == 0, r.stderr
    api = Api(tls_pbx.http_port, None, tls_ca=tls_pbx.cert)
    r = api.post("/api/v1/auth/login", {"extension": "1002", "password": "Bob-password-1"})
    assert r.status == 200, r
    cookie = r.header("Set-Cookie")
    assert "; Secure" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
