"""``/gezondheid``: 200 when database, migrations and worker are fine, else 503 (JSON)."""

from flask import Blueprint, jsonify

from pilot.access import public
from pilot.services.health import checks

bp = Blueprint("health", __name__)


@bp.route("/gezondheid")
@public
def show_health():
    """The checks as JSON; no personal data, no versions of libraries."""
    found = checks()
    healthy = all(check.ok for check in found)
    body = {"status": "ok" if healthy else "fout"}
    body.update({check.name: {"ok": check.ok, "toelichting": check.detail} for check in found})
    response = jsonify(body)
    response.status_code = 200 if healthy else 503
    response.cache_control.no_store = True
    return response
