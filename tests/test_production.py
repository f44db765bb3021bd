"""Production entry: gunicorn with the job worker and JSON logs (``make serve``'s command),
the health endpoint, and a backup that is restored and verified, on SQLite and PostgreSQL."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pilot.extensions import db
from pilot.models import Incident, Rol
from pilot.services.backup import make_backup, restore_backup
from tests.conftest import ROOT
from tests.factories import make_boa, make_incident

pytestmark = pytest.mark.slow


def _health(client) -> tuple[int, dict]:
    response = client.get("/gezondheid")
    return response.status_code, response.get_json()


def test_health_needs_database_migrations_and_a_live_worker(app, client):
    from pilot.services.jobs.queue import HEARTBEAT_KEY, get_queue

    with app.app_context():
        get_queue().delete(HEARTBEAT_KEY)
    status, body = _health(client)
    assert status == 503 and body["status"] == "fout"
    assert body["database"]["ok"] and body["migraties"]["ok"]
    assert body["verwerker"] == {"ok": False, "toelichting": "nooit gezien"}

    from pilot.services.jobs import worker as jobs_worker

    running = jobs_worker.start(app)
    try:
        deadline = time.monotonic() + 30
        while (status := _health(client)[0]) != 200 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert status == 200
    finally:
        running.stop()

    with app.app_context():  # a database behind the code's migrations
        db.session.execute(db.text("UPDATE alembic_version SET version_num = '0003'"))
        db.session.commit()
    try:
        status, body = _health(client)
        assert status == 503 and not body["migraties"]["ok"]
    finally:
        with app.app_context():
            from pilot.services.health import _head

            db.session.execute(
                db.text("UPDATE alembic_version SET version_num = :v"), {"v": _head()}
            )
            db.session.commit()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(app, database_url: str, tmp_path: Path, start_worker: bool = True, **extra) -> tuple:
    """``make serve``'s gunicorn command on a free port; returns (process, url, log path)."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PILOT_INSTANCE_PATH": str(tmp_path / f"instance-{port}"),
        "PILOT_SECRET_KEY": app.config["SECRET_KEY"],
        "PILOT_PSEUDONYM_KEY": app.config["PSEUDONYM_KEY"],
        "PILOT_BIND": f"127.0.0.1:{port}",
        "PILOT_WORKERS": "2",
        "PILOT_START_WORKER": "1" if start_worker else "0",
        "PILOT_WORKER_NAME": f"test-{port}",
        **extra,
    }
    log = tmp_path / f"gunicorn-{port}.log"
    command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:pilot.gunicorn_conf",
               "pilot:create_app()"]  # fmt: skip
    with log.open("w") as handle:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=handle)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/gezondheid", timeout=5) as response:
                if response.status == 200:
                    return process, url, log
        except OSError:
            pass
        if process.poll() is not None:
            raise AssertionError(log.read_text())
        time.sleep(0.3)
    process.kill()
    raise AssertionError("gunicorn not healthy in 120 s: " + log.read_text()[-2000:])


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def test_gunicorn_serves_with_the_worker_and_writes_json_logs_without_personal_data(
    app, database_url, tmp_path, make_user
):
    user = make_user(Rol.COORDINATOR, "GM0599", gebruikersnaam="jansen-geheim")
    process, url, log = serve(app, database_url, tmp_path)
    try:
        with urllib.request.urlopen(url + "/gezondheid") as response:
            body = json.load(response)
        assert body["verwerker"]["ok"] and body["database"]["ok"]
        form = b"gebruikersnaam=jansen-geheim&wachtwoord=fout-wachtwoord-xyz"
        request = urllib.request.Request(url + "/inloggen?zoek=geheimwoord", data=form)
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(request)
    finally:
        stop(process)
    lines = [line for line in log.read_text().splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is JSON
    requests = [e for e in entries if e.get("logger") == "pilot.request"]
    assert any({"route": "/gezondheid", "status": 200}.items() <= e.items() for e in requests)
    assert any(e.get("route") == "/inloggen" for e in requests)
    text = log.read_text()
    for secret in ("jansen-geheim", "fout-wachtwoord", "geheimwoord", "127.0.0.1:"):
        assert secret not in text, secret
    assert any("job worker started" in e["message"] for e in entries)
    assert user.id


def _incidents() -> list[tuple]:
    return [
        (i.id, i.tijdstip, i.lat, i.lon, i.afdoening)
        for i in db.session.execute(db.select(Incident).order_by(Incident.id)).scalars()
    ]


def test_backup_and_restore_bring_back_the_same_data(app, tmp_path):
    with app.app_context():
        boa = make_boa("GM0599")
        for i in range(3):
            make_incident(boa, 51.92 + i / 1000, 4.47)
        before = _incidents()
        backup = make_backup(tmp_path / "backup.dump")
        assert backup.stat().st_size > 0
        db.session.execute(db.delete(Incident))
        db.session.commit()
        make_incident(make_boa("GM0344"), 52.09, 5.12)
        assert _incidents() != before
        restore_backup(backup)
        assert _incidents() == before


def test_backup_cli_refuses_a_damaged_file(app, runner, tmp_path):
    broken = tmp_path / "kapot.dump"
    broken.write_bytes(b"geen backup")
    result = runner.invoke(args=["backup", "terugzetten", "--van", str(broken), "--ja"])
    assert result.exit_code != 0
    result = runner.invoke(args=["backup", "maken", "--uit", str(tmp_path / "goed.dump")])
    assert result.exit_code == 0, result.output
    assert "Backup geschreven en gecontroleerd" in result.output
