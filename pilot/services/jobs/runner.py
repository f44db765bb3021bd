"""Submitting a job and running it on the worker: state, result, Dutch failure messages."""

import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app
from sqlalchemy import func, select

from pilot import clock
from pilot.audit import acting_as
from pilot.extensions import db
from pilot.models import Job, User
from pilot.services import storage
from pilot.services.errors import DomainError
from pilot.services.jobs.progress import Reporter, reporting

if TYPE_CHECKING:
    from huey import Huey  # imported on first use: app start-up stays light

log = logging.getLogger(__name__)

WAITING, RUNNING, DONE, FAILED = "wachtend", "bezig", "klaar", "mislukt"
FINISHED = (DONE, FAILED)
MAX_ATTEMPTS = 3
UNEXPECTED = (
    "De taak is mislukt door een fout in de toepassing; er is niets gewijzigd. Probeer het "
    "later opnieuw of neem contact op met de beheerder."
)
INTERRUPTED = (
    "De taak is drie keer afgebroken (de verwerking stopte onverwacht); er is niets gewijzigd. "
    "Neem contact op met de beheerder."
)


@dataclass(frozen=True)
class Outcome:
    """What a handler gives back: a Dutch summary and optionally a file for the user."""

    melding: str
    bestand: tuple[str, bytes, str] | None = None  # name, bytes, media type


Handler = Callable[[Job, Reporter], Outcome]
HANDLERS: dict[str, Handler] = {}
_app: Flask | None = None


def handler(soort: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[soort] = function
        return function

    return register


def register_tasks(huey: "Huey") -> None:
    """Bind the one task (run a job by id) to a queue; the worker looks it up by name."""
    huey.pilot_run_job = huey.task(name="pilot.run_job")(_run_job)
    # each worker thread holds its own connection to the queue's store (PostgreSQL LISTEN)
    huey.on_shutdown(name="pilot.close_store")(huey.storage.close)


def bind_app(app: Flask) -> None:
    """The app whose context the worker's tasks run in."""
    global _app
    _app = app


def _run_job(job_id: str) -> None:
    if _app is None:
        raise RuntimeError("no app bound to the worker (jobs.worker.start binds one)")
    with _app.app_context():
        run(job_id)


def submit(
    soort: str, omschrijving: str, user_id: int, gemeente_id: int | None, **parameters
) -> Job:
    """Record a job and put it on the queue (commits)."""
    from pilot.services.jobs.queue import get_queue

    queue = get_queue()  # loads the handlers
    if soort not in HANDLERS:
        raise ValueError(f"unknown job kind {soort}")
    job = Job(
        id=secrets.token_hex(16),
        soort=soort,
        status=WAITING,
        user_id=user_id,
        gemeente_id=gemeente_id,
        parameters=parameters,
        omschrijving=omschrijving,
        pogingen=0,
    )
    db.session.add(job)
    db.session.commit()
    queue.pilot_run_job(job.id)
    return job


def run(job_id: str) -> None:
    """Run one job in the worker: mark it, call its handler, store the outcome."""
    from pilot.services.jobs.queue import get_queue, worker_name

    job = db.session.get(Job, job_id)
    if job is None or job.status in FINISHED:
        return
    if job.pogingen >= MAX_ATTEMPTS:
        _finish(job_id, FAILED, INTERRUPTED, None)
        return
    job.status, job.gestart_op, job.worker = RUNNING, clock.now(), worker_name()
    job.pogingen += 1
    db.session.commit()
    reporter = Reporter(get_queue(), job_id)
    user = db.session.get(User, job.user_id)
    try:
        with acting_as(user.gebruikersnaam, user.id), reporting(reporter):
            outcome = HANDLERS[job.soort](job, reporter)
    except DomainError as exc:
        db.session.rollback()
        _finish(job_id, FAILED, str(exc), None)
    except Exception:
        db.session.rollback()
        log.exception("job failed", extra={"job_id": job_id, "soort": job.soort})
        _finish(job_id, FAILED, UNEXPECTED, None)
    else:
        _finish(job_id, DONE, outcome.melding, outcome.bestand)
    finally:
        reporter.clear()


def _finish(job_id: str, status: str, melding: str, bestand) -> None:
    job = db.session.get(Job, job_id)
    job.status, job.melding, job.klaar_op = status, melding, clock.now()
    if bestand is not None:
        job.resultaat_sleutel = storage.put(*bestand)
    db.session.commit()


def requeue_interrupted(huey: "Huey", name: str) -> int:
    """Put this worker's jobs that were running when it stopped back on the queue."""
    jobs = db.session.execute(
        select(Job).where(Job.status == RUNNING, Job.worker == name)
    ).scalars()
    ids = [job.id for job in jobs]
    for job_id in ids:
        db.session.get(Job, job_id).status = WAITING
    db.session.commit()
    for job_id in ids:
        huey.pilot_run_job(job_id)
    return len(ids)


def job_of(job_id: str, user_id: int) -> Job | None:
    """The job if this user started it (others get None, shown as 404)."""
    job = db.session.get(Job, job_id) if len(job_id) == 32 else None
    return job if job is not None and job.user_id == user_id else None


def incident_count(gemeente_ids: list[int] | None = None) -> int:
    """How many incidents (of these gemeenten): the size measure of reports and exports."""
    from pilot.models import Incident

    query = select(func.count(Incident.id))
    if gemeente_ids is not None:
        query = query.where(Incident.gemeente_id.in_(gemeente_ids))
    return db.session.execute(query).scalar_one()


def uses_worker(config_key: str, size: int) -> bool:
    """Whether work of this size goes to the worker (above the configured threshold)."""
    return size > current_app.config[config_key]
