"""File import for a gemeente's coordinator: template, upload → preview → confirm.

Nothing is written before the coordinator confirms; the file waits in the database
(``pilot.services.imports.uploads``) and is read and validated again on confirm. A large
file is checked for its preview on the job worker, a large confirm written there.
"""

from contextlib import closing

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_login import current_user

from pilot.access import requires, visible_gemeente
from pilot.extensions import HEAVY_LIMITS, limiter, per_user
from pilot.imports.forms import ConfirmForm, UploadForm
from pilot.models import Gemeente, Rol
from pilot.services.imports import (
    MAX_BYTES,
    MAX_ROWS,
    ImportFileError,
    import_file,
)
from pilot.services.imports.service import boa_codes_of
from pilot.services.imports.uploads import (
    Upload,
    claim,
    claimed_file,
    finish,
    get_upload,
    preview_upload,
    store_upload,
)
from pilot.services.jobs.runner import submit, uses_worker

bp = Blueprint("imports", __name__, url_prefix="/gemeente/<cbs_code>/importeren")
TEMPLATE_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _upload(gemeente: Gemeente, token: str) -> Upload:
    return get_upload(token, gemeente, current_user.id)


@bp.route("/", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
@limiter.limit(HEAVY_LIMITS, methods=["POST"], key_func=per_user)
def upload_file(cbs_code: str):
    """Upload a file; a readable file leads to its preview."""
    gemeente = visible_gemeente(cbs_code)
    form = UploadForm()
    error = None
    if form.validate_on_submit():
        file = form.bestand.data
        with closing(file):
            data = file.read()
        if uses_worker("PILOT_JOB_PREVIEW_BYTES", len(data)):
            stored = store_upload(gemeente, current_user.id, file.filename, data)
            job = submit(
                "importcontrole", f"Controle van {stored.bestand}", current_user.id, gemeente.id,
                token=stored.token, cbs_code=gemeente.cbs_code,
            )  # fmt: skip
            return redirect(url_for("jobs.show_job", job_id=job.id))
        try:
            stored = preview_upload(gemeente, current_user.id, file.filename, data)
        except ImportFileError as exc:
            error = str(exc)
        else:
            return redirect(url_for(".show_preview", cbs_code=cbs_code, token=stored.token))
    return render_template(
        "imports/upload.html",
        gemeente=gemeente,
        form=form,
        error=error,
        max_rijen=MAX_ROWS,
        max_mb=MAX_BYTES // 1024 // 1024,
    )


@bp.route("/<token>")
@requires(Rol.COORDINATOR)
def show_preview(cbs_code: str, token: str):
    """The preview: counts and row-numbered errors; nothing has been written."""
    gemeente = visible_gemeente(cbs_code)
    stored = _upload(gemeente, token)
    if not stored.checked:
        flash("Het bestand wordt nog gecontroleerd; het voorbeeld volgt als dat klaar is.", "info")
        return redirect(url_for(".upload_file", cbs_code=cbs_code))
    return render_template(
        "imports/preview.html", gemeente=gemeente, upload=stored, form=ConfirmForm()
    )


@bp.route("/<token>/fouten.csv")
@requires(Rol.COORDINATOR)
def download_errors(cbs_code: str, token: str):
    """The full error list of a preview as CSV."""
    stored = _upload(visible_gemeente(cbs_code), token)
    return _download(stored.errors_csv, "csv", "fouten-import")


@bp.route("/<token>/bevestigen", methods=["POST"])
@requires(Rol.COORDINATOR)
def confirm_import(cbs_code: str, token: str):
    """Validate again and write the valid rows (or nothing, with 'alles of niets').

    A large file is written by the background worker: the user follows its progress on
    the job's page."""
    gemeente = visible_gemeente(cbs_code)
    stored = get_upload(token, gemeente, current_user.id, claimed=True)
    form = ConfirmForm()
    if not form.validate_on_submit() or not stored.checked:
        abort(400)
    if not claim(stored):
        flash("Dit bestand is al verwerkt; er is niets opnieuw geïmporteerd.", "info")
        return redirect(url_for(".upload_file", cbs_code=cbs_code))
    alles_of_niets = form.alles_of_niets.data
    if uses_worker("PILOT_JOB_IMPORT_ROWS", stored.meta["samenvatting"]["rijen"]):
        job = submit(
            "import", f"Import van {stored.bestand}", current_user.id, gemeente.id,
            token=stored.token, alles_of_niets=alles_of_niets,
        )  # fmt: skip
        return redirect(url_for("jobs.show_job", job_id=job.id))
    try:
        with claimed_file(stored) as path:
            result = import_file(gemeente, path, stored.bestand, alles_of_niets)
    except ImportFileError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".upload_file", cbs_code=cbs_code))
    finally:
        finish(stored)
    flash(*result.message())
    return redirect(url_for(".upload_file", cbs_code=cbs_code))


@bp.route("/sjabloon.<formaat>")
@requires(Rol.COORDINATOR)
def download_template(cbs_code: str, formaat: str):
    """The import template (XLSX with drop-downs and instructions, or CSV)."""
    gemeente = visible_gemeente(cbs_code)
    if formaat not in TEMPLATE_TYPES:
        abort(404)
    from pilot.services.imports.template import template_csv, template_xlsx  # openpyxl

    data = template_xlsx(boa_codes_of(gemeente)) if formaat == "xlsx" else template_csv()
    return _download(data, formaat, f"incidenten-sjabloon-{gemeente.cbs_code}")


def _download(data: bytes, formaat: str, name: str):
    return current_app.response_class(
        data,
        mimetype=TEMPLATE_TYPES[formaat],
        headers={"Content-Disposition": f"attachment; filename={name}.{formaat}"},
    )
