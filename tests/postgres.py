"""A throw-away PostgreSQL server for the test run, from Debian's binaries.

PostgreSQL refuses to run as root; when the tests run as root (as CI does) the server
runs as the ``postgres`` system user, which Debian's ``postgresql`` package creates.
The server listens only on a Unix socket in a temporary directory.
"""

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    pass


def _bindir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    raise PostgresUnavailable(
        "PostgreSQL-binaries niet gevonden (installeer Debian's pakket 'postgresql')"
    )


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="pilot-pg-"))
        self.data = self.root / "data"
        self.socket = self.root
        if os.geteuid() == 0:
            try:
                entry = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise PostgresUnavailable("systeemgebruiker 'postgres' ontbreekt") from exc
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.port = _free_port()

    def start(self) -> None:
        run = lambda *cmd: subprocess.run(  # noqa: E731
            _as_server_user(list(cmd)), check=True, capture_output=True, text=True
        )
        try:
            run(
                str(self.bindir / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
            )
            options = (
                f"-k {self.socket} -p {self.port} -c listen_addresses='' -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off"
            )
            run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.data),
                "-o",
                options,
                "-l",
                str(self.root / "server.log"),
                "-w",
                "start",
            )
        except subprocess.CalledProcessError as exc:
            raise PostgresUnavailable(f"PostgreSQL start mislukt: {exc.stderr.strip()}") from exc

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket}&port={self.port}"

    def create_database(self, name: str) -> str:
        subprocess.run(
            _as_server_user(
                [
                    str(self.bindir / "createdb"),
                    "-h",
                    str(self.socket),
                    "-p",
                    str(self.port),
                    "-U",
                    "postgres",
                    name,
                ]
            ),
            check=True,
            capture_output=True,
        )
        return self.url(name)

    def stop(self) -> None:
        subprocess.run(
            _as_server_user(
                [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)
