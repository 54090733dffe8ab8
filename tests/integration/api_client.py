"""A small client for the REST API (issue 9) with the standard library only:
HTTP(S) requests, a WebSocket client (RFC 6455, text frames, ping/pong), and
validation of every JSON response against the server's own OpenAPI
document (python3-jsonschema, after mapping OpenAPI 3.0's `nullable`)."""
import base64
import http.client
import json
import os
import socket
import ssl
import struct

import jsonschema


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def json(self):
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def __repr__(self):
        return f"Response({self.status}, {self.body[:300]!r})"


def _nullable_to_jsonschema(schema):
    """OpenAPI 3.0's `nullable: true` as JSON Schema's type [t, "null"]."""
    if isinstance(schema, dict):
        out = {k: _nullable_to_jsonschema(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable") and "type" in schema:
            out["type"] = [schema["type"], "null"]
        return out
    if isinstance(schema, list):
        return [_nullable_to_jsonschema(v) for v in schema]
    return schema


class OpenApi:
    """The server's document; checks responses against their route's schema."""

    def __init__(self, doc: dict):
        self.doc = doc
        self.checked = 0

    def operation(self, method: str, path: str):
        # Template match: /api/v1/extensions/{number} matches /api/v1/extensions/1001.
        parts = path.split("?")[0].strip("/").split("/")
        for tmpl, ops in self.doc["paths"].items():
            t = tmpl.strip("/").split("/")
            if len(t) == len(parts) and all(a == b or (a.startswith("{") and a.endswith("}"))
                                            for a, b in zip(t, parts)):
                if method.lower() in ops:
                    return tmpl, ops[method.lower()]
        return None, None

    def validate(self, method: str, path: str, r: Response):
        tmpl, op = self.operation(method, path)
        if op is None:
            return  # 404/405 paths are not documented operations
        responses = op["responses"]
        spec = responses.get(str(r.status)) or responses.get("default")
        assert spec is not None, f"{method} {tmpl}: status {r.status} not documented"
        content = spec.get("content")
        if not content:
            assert not r.body, f"{method} {tmpl}: undocumented body for {r.status}"
            return
        ctype, media = next(iter(content.items()))
        assert (r.header("Content-Type") or "").startswith(ctype.split(";")[0]), (
            f"{method} {tmpl}: content type {r.header('Content-Type')} vs {ctype}")
        if ctype == "application/json":
            schema = media["schema"]
            if "$ref" in schema:
                schema = self.doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
            jsonschema.validate(r.json, _nullable_to_jsonschema(schema))
        self.checked += 1


class Api:
    def __init__(self, port: int, token: str | None = None, tls_ca: str | None = None,
                 openapi: OpenApi | None = None):
        self.port = port
        self.token = token
        self.tls_ca = tls_ca
        self.openapi = openapi

    def connection(self):
        if self.tls_ca:
            ctx = ssl.create_default_context(cafile=self.tls_ca)
            return http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=10)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def request(self, method: str, path: str, body=None, token: str | None = "default",
                headers: dict | None = None, raw: bytes | None = None, conn=None) -> Response:
        h = dict(headers or {})
        tok = self.token if token == "default" else token
        if tok:
            h["Authorization"] = f"Bearer {tok}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        c = conn or self.connection()
        c.request(method, path, body=data, headers=h)
        resp = c.getresponse()
        r = Response(resp.status, resp.headers, resp.read())
        if conn is None:
            c.close()
        if self.openapi is not None:
            self.openapi.validate(method, path, r)
        return r

    def get(self, path: str, **kw) -> Response:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> Response:
        return self.request("POST", path, body=body, **kw)


class WebSocket:
    """A minimal RFC 6455 client: masked text frames out; text, ping, close in."""

    def __init__(self, port: int, path: str, token: str | None = None, timeout: float = 10):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Upgrade: websocket",
                 "Connection: Upgrade", f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
        if token:
            lines.append(f"Authorization: Bearer {token}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                break
            head += chunk
        header, _, self.buffer = head.partition(b"\r\n\r\n")
        self.status = int(header.split(b" ")[1]) if header else 0

    def _recv_exact(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        out, self.buffer = self.buffer[:n], self.buffer[n:]
        return out

    def send_frame(self, opcode: int, payload: bytes):
        mask = os.urandom(4)
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 65536:
            head += bytes([0x80 | 126]) + struct.pack("!H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack("!Q", n)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def send_json(self, obj):
        self.send_frame(1, json.dumps(obj).encode())

    def recv_frame(self):
        b0, b1 = self._recv_exact(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._recv_exact(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._recv_exact(8))[0]
        return b0 & 0x0F, self._recv_exact(n)

    def recv_json(self):
        """The next text message; answers pings; None on close."""
        while True:
            op, payload = self.recv_frame()
            if op == 1:
                return json.loads(payload)
            if op == 9:
                self.send_frame(10, payload)
            elif op == 8:
                return None

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass
