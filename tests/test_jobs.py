"""Background jobs through HTTP with the real worker (a Huey consumer on the app's queue):
a large import confirm runs on the worker with progress, failures are shown in Dutch, a
job is only its owner's, and a job waits in the queue's storage for a worker that starts
later (also one that was stopped in the middle of it)."""

import io
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta

import pytest

from pilot.clock import AMSTERDAM
from pilot.extensions import db
from pilot.models import AuditEvent, ImportBatch, Incident, Job, Rol
from pilot.services import storage
from pilot.services.jobs import runner
from tests.conftest import ROOT
from tests.test_imports import import_events, row, write_csv

pytestmark = pytest.mark.slow


@pytest.fixture
def boa(app, boundaries_loaded) -> str:
    from tests.factories import make_boa

    with app.app_context():
        return make_boa("GM0599", code="BOA-0599-AB12").code


def _rows(boa: str, count: int) -> list[dict]:
    start = datetime(2024, 8, 1, tzinfo=AMSTERDAM)
    moments = (start + timedelta(minutes=7 * i) for i in range(count))
    return [row(boa, datum=m.strftime("%d-%m-%Y"), tijd=m.strftime("%H:%M")) for m in moments]


def _upload(client, path):
    return client.post(
        "/gemeente/GM0599/importeren/",
        data={"bestand": (io.BytesIO(path.read_bytes()), path.name)},
        content_type="multipart/form-data",
    )


def _confirm(client, path, alles_of_niets: bool = False):
    """Upload and confirm; the file is checked in the request (below PILOT_JOB_PREVIEW_BYTES)."""
    preview = _upload(client, path)
    assert preview.status_code == 302 and "/taken/" not in preview.headers["Location"]
    data = {"alles_of_niets": "y"} if alles_of_niets else {}
    return client.post(preview.headers["Location"] + "/bevestigen", data=data)


@pytest.fixture(autouse=True)
def _previews_in_the_request(app):
    """Most tests here are about the confirm: their files are checked in the request."""
    app.config["PILOT_JOB_PREVIEW_BYTES"] = 10 * 1024 * 1024


def _follow(client, job_url: str, limit_s: float = 180) -> list[dict]:
    states, deadline = [], time.monotonic() + limit_s
    while time.monotonic() < deadline:
        state = client.get(job_url + "/status.json").get_json()
        states.append(state)
        if state["klaar"]:
            return states
        time.sleep(0.05)
    raise AssertionError(f"job not finished in {limit_s} s: {states[-3:]}")


def _count() -> int:
    return db.session.execute(db.select(db.func.count(Incident.id))).scalar_one()


def test_a_large_import_runs_on_the_worker_with_progress(
    app, client, login_as, boa, tmp_path, worker
):
    app.config["PILOT_JOB_IMPORT_ROWS"] = 100
    login_as(Rol.COORDINATOR, "GM0599")
    path = write_csv(tmp_path / "groot.csv", _rows(boa, 3_000))
    response = _confirm(client, path)
    assert response.status_code == 302 and "/taken/" in response.headers["Location"]
    job_url = response.headers["Location"]
    page = client.get(job_url).get_data(as_text=True)
    assert "Import van groot.csv" in page and 'role="status"' in page

    states = _follow(client, job_url)
    assert states[-1]["status"] == "klaar", states[-1]
    assert "3.000 geïmporteerd" in states[-1]["melding"]
    running = [s for s in states if s["status"] == "bezig" and s["totaal"]]
    assert running, "no progress was shown while the job ran"
    assert {s["eenheid"] for s in running} == {"rijen"}
    with app.app_context():
        assert _count() == 3_000
    assert "Klaar. Import van groot.csv voltooid" in client.get(job_url).get_data(as_text=True)


def test_a_small_import_still_runs_in_the_request(app, client, login_as, boa, tmp_path):
    login_as(Rol.COORDINATOR, "GM0599")
    response = _confirm(client, write_csv(tmp_path / "klein.csv", _rows(boa, 5)))
    assert response.headers["Location"].endswith("/gemeente/GM0599/importeren/")
    with app.app_context():
        assert _count() == 5 and db.session.execute(db.select(Job)).first() is None


def test_a_failed_job_says_why_in_dutch_and_only_its_owner_sees_it(
    app, client, login_as, boa, tmp_path, make_user
):
    app.config["PILOT_JOB_IMPORT_ROWS"] = 1
    login_as(Rol.COORDINATOR, "GM0599")
    response = _confirm(client, write_csv(tmp_path / "twee.csv", _rows(boa, 2)))
    job_url = response.headers["Location"]
    with app.app_context():  # the file is gone before a worker takes the job
        job = db.session.execute(db.select(Job)).scalar_one()
        from pilot.models import ImportUpload

        storage.delete_file(db.session.get(ImportUpload, job.parameters["token"]).bestand_sleutel)
        db.session.commit()
    from pilot.services.jobs import worker as jobs_worker

    running = jobs_worker.start(app)
    try:
        state = _follow(client, job_url)[-1]
    finally:
        running.stop()
    assert state["status"] == "mislukt"
    assert state["melding"] == "Het bestand is niet meer beschikbaar; upload het opnieuw."
    assert "Mislukt. Het bestand is niet meer beschikbaar" in client.get(job_url).text

    other = app.test_client()
    login_as(Rol.COORDINATOR, "GM0344", the_client=other)
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "/status.json").status_code == 404


def _worker_process(app, database_url: str, tmp_path, name: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PILOT_INSTANCE_PATH": str(tmp_path / "instance"),
        "PILOT_SECRET_KEY": app.config["SECRET_KEY"],
        "PILOT_PSEUDONYM_KEY": app.config["PSEUDONYM_KEY"],
        "PILOT_WORKER_NAME": name,
    }
    command = [sys.executable, "-m", "flask", "--app", "pilot", "jobs", "worker", "--threads", "1"]
    with (tmp_path / f"{name}.log").open("w") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)


def test_jobs_wait_for_a_worker_and_survive_its_restart(
    app, client, login_as, boa, tmp_path, database_url
):
    app.config["PILOT_JOB_IMPORT_ROWS"] = 1
    login_as(Rol.COORDINATOR, "GM0599")
    # a job that a worker named "w1" had begun when it was killed: its queue entry is gone
    interrupted = _confirm(client, write_csv(tmp_path / "b.csv", _rows(boa, 40)[20:]))
    with app.app_context():
        job = db.session.get(Job, interrupted.headers["Location"].rsplit("/", 1)[1])
        job.status, job.worker, job.pogingen = runner.RUNNING, "w1", 1
        db.session.commit()
        from pilot.services.jobs.queue import get_queue

        get_queue().flush()
    # a job submitted while no worker runs
    waiting = _confirm(client, write_csv(tmp_path / "a.csv", _rows(boa, 20)))
    assert client.get(waiting.headers["Location"] + "/status.json").json["status"] == "wachtend"

    process = _worker_process(app, database_url, tmp_path, "w1")
    try:
        for response in (waiting, interrupted):
            state = _follow(client, response.headers["Location"])[-1]
            assert state["status"] == "klaar", state
        # below the app servers' CPU priority (PILOT_WORKER_NICE), every thread of it: also
        # those started before the worker lowered itself (OpenBLAS's pool, at numpy's import)
        lowered = os.getpriority(os.PRIO_PROCESS, 0) + app.config["PILOT_WORKER_NICE"]
        threads = os.listdir(f"/proc/{process.pid}/task")
        assert len(threads) > 1
        assert {os.getpriority(os.PRIO_PROCESS, int(t)) for t in threads} == {lowered}
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    with app.app_context():
        db.session.remove()
        assert _count() == 40


def test_reports_the_dataset_and_a_purge_run_on_the_worker_above_their_threshold(
    app, client, login_as, boa, worker, frozen_clock
):
    """With the thresholds at zero every one of them goes to the worker; the result is the
    same file as in the request (a PDF, a zip) and the purge's summary."""
    app.config.update(
        PILOT_JOB_REPORT_INCIDENTS=0, PILOT_JOB_DATASET_INCIDENTS=0, PILOT_JOB_PURGE_INCIDENTS=0
    )
    with app.app_context():
        from tests.factories import make_boa, make_incident

        rotterdam = make_boa("GM0599")
        for i in range(8):
            make_incident(rotterdam, 51.92 + i / 1000, 4.47)
    login_as(Rol.EVALUATOR)
    for url, kind in (("/rapporten/totaal.pdf", "application/pdf"),
                      ("/dataset/evaluatiedataset.zip", "application/zip")):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/taken/" in response.headers["Location"], url
        state = _follow(client, response.headers["Location"])[-1]
        assert state["status"] == "klaar" and state["resultaat"], state
        result = client.get(response.headers["Location"] + "/resultaat")
        assert result.status_code == 200 and result.mimetype == kind
        assert result.data[:4] in (b"%PDF", b"PK\x03\x04")

    beheer = app.test_client()
    login_as(Rol.BEHEERDER, the_client=beheer)
    response = beheer.post(
        "/beheer/bewaartermijn/verwijderen", data={"voor": "2025-07-01", "gemeente": "GM0599"}
    )
    assert response.status_code == 302 and "/taken/" in response.headers["Location"]
    state = _follow(beheer, response.headers["Location"])[-1]
    assert state["status"] == "klaar", state
    assert state["melding"].startswith("Verwijderd van vóór 01-07-2025: 0 incidenten")


def _provisional(job_id: str) -> int:
    query = db.select(db.func.count(Incident.id)).where(Incident.import_batch == job_id)
    return db.session.execute(query).scalar_one()


def _events(actie: str) -> list[AuditEvent]:
    return list(
        db.session.execute(db.select(AuditEvent).where(AuditEvent.actie == actie)).scalars()
    )


def test_an_import_killed_while_writing_is_retried_and_writes_every_row_once(
    app, client, login_as, boa, tmp_path, database_url
):
    """The job writes in short transactions (other users' saves need not wait for it). A
    worker killed after some of them leaves provisional rows, no import event; the restarted
    worker deletes them and writes the file again: each row once, one import event."""
    app.config["PILOT_JOB_IMPORT_ROWS"] = 1
    login_as(Rol.COORDINATOR, "GM0599")
    # (under 500 kB: a larger upload makes the test client spool it to a file it leaves open)
    response = _confirm(client, write_csv(tmp_path / "groot.csv", _rows(boa, 3_300)))
    job_url = response.headers["Location"]
    job_id = job_url.rsplit("/", 1)[1]

    process = _worker_process(app, database_url, tmp_path, "w1")
    try:
        # Killed as soon as the first chunk is committed, read in the database itself: the
        # job's progress is stored at most every 0.5 s, and on PostgreSQL (COPY) the whole
        # file is written in about that time, so progress could first show it all written.
        deadline = time.monotonic() + 120
        with app.app_context():
            while _provisional(job_id) == 0:
                assert time.monotonic() < deadline and process.poll() is None
                db.session.remove()
                time.sleep(0.005)
    finally:
        process.kill()
        process.wait(timeout=60)
    with app.app_context():
        db.session.remove()
        provisional = _provisional(job_id)
        assert 0 < provisional < 3_300  # written in chunks, committed one by one
        assert import_events() == []

    process = _worker_process(app, database_url, tmp_path, "w1")  # requeues the job
    try:
        state = _follow(client, job_url)[-1]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert state["status"] == "klaar" and "3.300 geïmporteerd" in state["melding"], state
    with app.app_context():
        db.session.remove()
        assert _count() == 3_300 == _provisional(job_id)
        assert len(import_events()) == 1
        assert [e.details["rijen"] for e in _events("import_teruggedraaid")] == [provisional]
        assert db.session.get(ImportBatch, job_id).status == "klaar"


def test_the_worker_deletes_what_an_ended_import_job_left(app, boa, make_user, tmp_path):
    """Rows of a batch whose job ended without finishing it (given up after three
    interruptions) are deleted by the worker's maintenance, with an audit event."""
    from pilot.services.imports import analyse, staged
    from pilot.services.jobs.maintenance import Maintenance
    from tests.conftest import gemeente_by_code

    user = make_user(Rol.COORDINATOR, "GM0599")
    path = write_csv(tmp_path / "b.csv", _rows(boa, 700))
    with app.app_context():
        gemeente = gemeente_by_code("GM0599")
        items = [r.item for r in analyse(gemeente, path, "b.csv").te_schrijven]
        job = Job(
            id="f" * 32,
            soort="import",
            status=runner.RUNNING,
            user_id=user.id,
            gemeente_id=gemeente.id,
            parameters={},
            omschrijving="Import",
            pogingen=3,
        )
        db.session.add(job)
        db.session.commit()
        staged.write(job.id, gemeente, items[:400], lambda *_: None, pause_s=0)
        Maintenance(app).tick()  # its job still runs: left alone
        assert _provisional(job.id) == 400
        job = db.session.get(Job, job.id)
        job.status = runner.FAILED
        db.session.commit()

    Maintenance(app).tick()
    with app.app_context():
        assert _count() == 0 and db.session.get(ImportBatch, "f" * 32) is None
        assert [e.details["rijen"] for e in _events("import_teruggedraaid")] == [400]
        assert import_events() == []


def test_a_large_file_is_checked_on_the_worker_before_its_preview(
    app, client, login_as, boa, tmp_path, worker
):
    """Above PILOT_JOB_PREVIEW_BYTES the upload's check runs on the worker with progress;
    its page then leads to the preview, and nothing was written before the confirm."""
    app.config.update(PILOT_JOB_PREVIEW_BYTES=1_000, PILOT_JOB_IMPORT_ROWS=1)
    login_as(Rol.COORDINATOR, "GM0599")
    rows = _rows(boa, 60)
    rows[7]["datum"] = "31-02-2025"
    response = _upload(client, write_csv(tmp_path / "middel.csv", rows))
    assert response.status_code == 302 and "/taken/" in response.headers["Location"]
    job_url = response.headers["Location"]
    assert "Controle van middel.csv" in client.get(job_url).text
    state = _follow(client, job_url)[-1]
    assert state["status"] == "klaar", state
    assert "60 rijen, 59 geldig, 1 met fouten" in state["melding"]
    preview_url = state["vervolg"]
    assert preview_url.startswith("/gemeente/GM0599/importeren/")
    assert f'href="{preview_url}"' in client.get(job_url).text
    with app.app_context():
        assert _count() == 0
    preview = client.get(preview_url).text
    assert 'id="geldig">59<' in preview and "31-02-2025" not in preview.split("Fouten")[0]

    confirmed = client.post(preview_url + "/bevestigen", data={})
    assert "/taken/" in confirmed.headers["Location"]
    assert _follow(client, confirmed.headers["Location"])[-1]["status"] == "klaar"
    with app.app_context():
        assert _count() == 59


def test_a_large_file_that_cannot_be_read_fails_in_dutch_and_is_not_kept(
    app, client, login_as, boa, tmp_path, worker
):
    from pilot.models import ImportUpload

    app.config["PILOT_JOB_PREVIEW_BYTES"] = 1_000
    login_as(Rol.COORDINATOR, "GM0599")
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 5_000)  # looks like a zip, is none
    response = _upload(client, path)
    assert "/taken/" in response.headers["Location"]
    state = _follow(client, response.headers["Location"])[-1]
    assert state["status"] == "mislukt" and state["vervolg"] is None
    assert state["melding"].startswith("Het Excel-bestand is beschadigd"), state
    with app.app_context():
        assert db.session.execute(db.select(ImportUpload)).first() is None
