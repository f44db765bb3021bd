"""A job's page (progress, then result or a Dutch failure message), its JSON and result."""

import io

from flask import Blueprint, abort, jsonify, render_template, send_file, url_for
from flask_login import current_user

from pilot.access import requires
from pilot.models import Rol
from pilot.services import storage
from pilot.services.jobs import progress
from pilot.services.jobs.queue import get_queue
from pilot.services.jobs.runner import DONE, FINISHED, job_of

bp = Blueprint("jobs", __name__, url_prefix="/taken")
ALL = tuple(Rol)


def _own_job(job_id: str):
    job = job_of(job_id, current_user.id)
    if job is None:
        abort(404)
    return job


def _follow_up(job) -> str | None:
    """Where the user goes on from a finished job: a checked upload's preview."""
    if job.soort == "importcontrole" and job.status == DONE:
        return url_for(
            "imports.show_preview",
            cbs_code=job.parameters["cbs_code"],
            token=job.parameters["token"],
        )
    return None


def _state(job) -> dict:
    stand = None if job.status in FINISHED else progress.current(get_queue(), job.id)
    return {
        "vervolg": _follow_up(job),
        "status": job.status,
        "klaar": job.status in FINISHED,
        "melding": job.melding,
        "resultaat": bool(job.resultaat_sleutel),
        "stap": stand.stap if stand else None,
        "gedaan": stand.gedaan if stand else None,
        "totaal": stand.totaal if stand else None,
        "eenheid": stand.eenheid if stand else None,
        "procent": stand.procent if stand else None,
    }


@bp.route("/<job_id>")
@requires(*ALL)
def show_job(job_id: str):
    """The job's state; the page follows the progress by itself (static/js/jobs.js)."""
    job = _own_job(job_id)
    return render_template("jobs/show.html", job=job, state=_state(job))


@bp.route("/<job_id>/status.json")
@requires(*ALL)
def job_status(job_id: str):
    """The job's state as JSON, for the page's polling."""
    return jsonify(_state(_own_job(job_id)))


@bp.route("/<job_id>/resultaat")
@requires(*ALL)
def download_result(job_id: str):
    """The finished job's file."""
    job = _own_job(job_id)
    if not job.resultaat_sleutel:
        abort(404)
    stored = storage.get(job.resultaat_sleutel)
    return send_file(
        io.BytesIO(stored.inhoud),
        mimetype=stored.mimetype,
        as_attachment=True,
        download_name=stored.naam,
    )
