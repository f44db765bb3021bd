"""The evaluation dataset: the default download, the finer extract by grant, and the
beheerder's grant screens (``/beheer/extracten``)."""

import io

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask_login import current_user

from pilot import clock
from pilot.access import requires
from pilot.dataset.forms import GrantForm
from pilot.extensions import HEAVY_LIMITS, db, limiter, per_user
from pilot.models import Rol
from pilot.services.dataset import grants
from pilot.services.errors import DomainError
from pilot.services.jobs.runner import incident_count, submit, uses_worker

bp = Blueprint("dataset", __name__)
B, E = Rol.BEHEERDER, Rol.EVALUATOR


def _zip(content: bytes, name: str):
    return send_file(
        io.BytesIO(content), mimetype="application/zip", as_attachment=True, download_name=name
    )


@bp.route("/dataset/")
@requires(B, E)
def show_dataset():
    """The default dataset, and the evaluator's active grants of the finer extract."""
    actief = grants.active_grants(current_user) if current_user.role is E else []
    return render_template("dataset/index.html", grants=actief)


@bp.route("/dataset/evaluatiedataset.zip")
@requires(B, E)
@limiter.limit(HEAVY_LIMITS, key_func=per_user)
def download_dataset():
    """The k-anonymous evaluation dataset with codebook, as a zip (large: as a job)."""
    if uses_worker("PILOT_JOB_DATASET_INCIDENTS", incident_count()):
        job = submit("dataset", "Evaluatiedataset", current_user.id, None)
        return redirect(url_for("jobs.show_job", job_id=job.id))
    from pilot.services.dataset import export  # geopandas, pandas: only for a download

    return _zip(export.download_dataset(), export.DEFAULT_NAME)


@bp.route("/dataset/extract/<int:grant_id>")
@requires(E)
@limiter.limit(HEAVY_LIMITS, key_func=per_user)
def download_extract(grant_id: int):
    """The finer extract of one of the evaluator's active grants."""
    from pilot.services.dataset import export  # geopandas, pandas: only for a download

    try:
        grant = grants.usable_grant(grant_id, current_user)
    except grants.GrantInactive as error:
        message = error.message
        return render_template(
            "errors/error.html", status=403, title="Geen toegang", message=message
        ), 403
    return _zip(export.download_extract(grant), export.extract_name(grant))


@bp.route("/beheer/extracten")
@requires(B)
def list_grants():
    """Every grant of the finer extract, with revoke buttons."""
    rows = db.session.execute(grants.list_grants()).scalars().all()
    return render_template("dataset/grants.html", grants=rows, vandaag=clock.today())


@bp.route("/beheer/extracten/nieuw", methods=["GET", "POST"])
@requires(B)
def new_grant():
    """Grant an evaluator the finer extract for a purpose until a date."""
    form = GrantForm()
    form.set_evaluators(db.session.execute(grants.evaluators()).scalars())
    if form.validate_on_submit():
        try:
            grant = grants.create_grant(
                form.user_id.data, form.doel.data, form.geldig_tot.data, current_user
            )
        except DomainError as error:
            db.session.rollback()
            form.attach(error)
        else:
            flash(f"Toestemming {grant.id} is verleend aan {grant.user.naam}.", "success")
            return redirect(url_for("dataset.list_grants"))
    return render_template("dataset/grant_form.html", form=form, max_dagen=grants.MAX_DAYS)


@bp.route("/beheer/extracten/<int:grant_id>/intrekken", methods=["POST"])
@requires(B)
def revoke_grant(grant_id: int):
    """Revoke a grant from now on."""
    try:
        grant = grants.revoke_grant(grant_id, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(f"Toestemming {grant.id} is ingetrokken.", "success")
    return redirect(url_for("dataset.list_grants"))
