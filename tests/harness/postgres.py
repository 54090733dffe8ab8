"""A throwaway PostgreSQL cluster on 127.0.0.1 for tests (DESIGN.md §6, §8).

Never the distribution's own cluster: initdb makes a new one in DIR/data,
listening on a free loopback port with its socket inside DIR, trusting local
connections (only this machine's test processes can reach it).

    python3 -m harness.postgres start --dir DIR   # prints the URL; writes DIR/url, DIR/port
    python3 -m harness.postgres stop --dir DIR
"""
import argparse
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from harness.ports import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
SUPERUSER = "postgres"
# The postmaster refuses to run as root, so as root every server command runs
# as this system account (which the postgresql package creates).
SERVICE_ACCOUNT = "postgres"
# Unix socket paths are limited to 107 bytes, ".s.PGSQL.NNNNN" included.
MAX_SOCKET_DIR = 80


class PostgresError(RuntimeError):
    pass


class PostgresCluster:
    """One cluster in `dir`: start() it, read `url`, stop() it."""

    def __init__(self, dir):
        self.dir = Path(dir).resolve()
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.port = self._read("port")
        self.port = int(self.port) if self.port else None

    @property
    def url(self) -> str:
        if self.port is None:
            raise PostgresError("cluster not started")
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"

    # -- lifecycle -------------------------------------------------------

    def start(self) -> str:
        """Creates and starts a fresh cluster; returns its URL."""
        self.stop()  # a cluster left behind by an interrupted run
        self.dir.mkdir(parents=True, exist_ok=True)
        socket_dir = self._socket_dir()
        if os.geteuid() == 0:
            account = pwd.getpwnam(SERVICE_ACCOUNT)
            for path in (self.dir, socket_dir):
                os.chown(path, account.pw_uid, account.pw_gid)
        self._run([PG_BIN / "initdb", "-D", self.data, "--auth=trust", "-U", SUPERUSER,
                   "--encoding=UTF8", "--locale=C", "--no-sync"])
        last_error = None
        for _ in range(5):  # the free port can be taken before the server binds it
            port = free_port()
            options = " ".join([
                # pg_ctl hands this string to a shell: quote the path.
                "-c listen_addresses=127.0.0.1", f"-p {port}", f"-k '{socket_dir}'",
                # A test cluster: durability buys nothing, speed does.
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c max_connections=200",
            ])
            try:
                self._run([PG_BIN / "pg_ctl", "-D", self.data, "-l", self.log, "-w", "-t", "60",
                           "-o", options, "start"])
            except PostgresError as e:
                last_error = e
                continue
            self.port = port
            self._write("port", str(port))
            self._write("url", self.url)
            return self.url
        raise PostgresError(f"could not start PostgreSQL: {last_error}\n{self._log_tail()}")

    def stop(self) -> None:
        """Stops the cluster if it runs and removes its data directory."""
        if (self.data / "postmaster.pid").exists():
            try:
                self._run([PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "-t", "60",
                           "stop"])
            except PostgresError:
                # Not running after all (a stale pid file); nothing to stop.
                pass
        shutil.rmtree(self.data, ignore_errors=True)
        for name in ("url", "port"):
            (self.dir / name).unlink(missing_ok=True)
        socket_link = self.dir / "socket-dir"
        if socket_link.exists():
            target = Path(socket_link.read_text().strip())
            if target != self.dir:
                shutil.rmtree(target, ignore_errors=True)
            socket_link.unlink(missing_ok=True)
        self.port = None

    # -- helpers ---------------------------------------------------------

    def _socket_dir(self) -> Path:
        # The socket lives with the cluster; only a very long DIR forces it
        # into a short temp directory (recorded so stop() removes it).
        if len(str(self.dir)) <= MAX_SOCKET_DIR:
            path = self.dir
        else:
            path = Path(tempfile.mkdtemp(prefix="sb-pg-"))
        self._write("socket-dir", str(path))
        return path

    def _run(self, argv) -> None:
        argv = [str(a) for a in argv]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", SERVICE_ACCOUNT, "--"] + argv
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        proc = subprocess.run(argv, cwd=self.dir, env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            raise PostgresError(f"{' '.join(argv)} exited with {proc.returncode}:\n{proc.stdout}")

    def _read(self, name: str):
        try:
            return (self.dir / name).read_text().strip()
        except OSError:
            return None

    def _write(self, name: str, text: str) -> None:
        (self.dir / name).write_text(text + "\n")

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m harness.postgres", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--dir", required=True, help="directory of the cluster")
    args = parser.parse_args(argv)
    cluster = PostgresCluster(args.dir)
    try:
        if args.command == "start":
            print(cluster.start())
        else:
            cluster.stop()
    except PostgresError as e:
        print(f"harness.postgres {args.command}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
