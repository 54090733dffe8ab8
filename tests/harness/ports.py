"""Free loopback ports. A port is reserved by binding it and released right
before the peer starts; a small race remains, so callers that fail to bind
retry with a new port."""
import socket

_handed_out: set[int] = set()


def free_port(kind: str = "tcp", host: str = "127.0.0.1") -> int:
    """Returns a port that is free for `kind` ("tcp", "udp" or "both") on host."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for _ in range(100):
        with socket.socket(family, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
        if port in _handed_out:
            continue
        if kind in ("udp", "both") and not _udp_free(port, host, family):
            continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free port found")


def _udp_free(port: int, host: str, family: int) -> bool:
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            s.bind((host, port))
        return True
    except OSError:
        return False


def wait_tcp(host: str, port: int, timeout: float = 10.0) -> bool:
    """Waits until something accepts TCP connections on host:port."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.05)
    return False
