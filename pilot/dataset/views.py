"""The evaluation dataset download, for evaluator and beheerder."""

import io

from flask import Blueprint, send_file

from pilot.access import requires
from pilot.extensions import HEAVY_LIMITS, limiter, per_user
from pilot.models import Rol
from pilot.services.dataset import export

bp = Blueprint("dataset", __name__, url_prefix="/dataset")


@bp.route("/evaluatiedataset.zip")
@requires(Rol.BEHEERDER, Rol.EVALUATOR)
@limiter.limit(HEAVY_LIMITS, key_func=per_user)
def download_dataset():
    """The pseudonymised evaluation dataset with codebook, as a zip."""
    return send_file(
        io.BytesIO(export.download_dataset()),
        mimetype="application/zip",
        as_attachment=True,
        download_name="evaluatiedataset-pilot-429ter.zip",
    )
