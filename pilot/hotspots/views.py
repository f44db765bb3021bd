"""Hotspot maps: national (aggregated) and per gemeente, with GeoJSON/CSV downloads.

Which counts and filters a viewer gets is decided in ``pilot.services.hotspots.maps``; these
views only read the form, call the service and the renderer, and audit downloads.
"""

import json
from functools import cache
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from gemeenten.boundaries import to_wgs84
from pilot import audit
from pilot.access import public, requires, visible_gemeente
from pilot.extensions import HEAVY_LIMITS, db, limiter, per_user
from pilot.hotspots.forms import GemeenteFilterForm, KwartaalForm
from pilot.models import Gemeente, Rol
from pilot.services.cache import DerivedCache
from pilot.services.disclosure.policy import (
    Viewer,
    outsider_publication,
    sees_exact,
    threshold,
)
from pilot.services.errors import DomainError
from pilot.services.gemeenten import boundary_of
from pilot.services.hotspots import export
from pilot.services.hotspots import maps as hotspot_maps

bp = Blueprint("hotspots", __name__, url_prefix="/hotspots")
B, C, E, M = Rol.BEHEERDER, Rol.COORDINATOR, Rol.EVALUATOR, Rol.MINISTERIE
FORMATS = {"geojson": "application/geo+json", "csv": "text/csv; charset=utf-8"}


def _gemeenten() -> list[Gemeente]:
    return list(db.session.execute(db.select(Gemeente).order_by(Gemeente.naam)).scalars())


def _map_for(gemeente: Gemeente | None):
    """Form, viewer's map (or None with errors) for the national or a gemeente map."""
    viewer = Viewer(current_user.role, current_user.gemeente_id)
    ids = (gemeente.id,) if gemeente else ()
    if sees_exact(viewer, ids):
        form = GemeenteFilterForm(formdata=request.args)
        flt, size = form.to_filter(gemeente.id), form.cell_size
    else:
        quarters = outsider_publication().quarters
        form = KwartaalForm(formdata=request.args).setup(quarters)
        flt, size = form.to_filter(ids), hotspot_maps.OUTSIDER_CELL_SIZE
    if request.args and not form.validate():
        return form, None, []
    try:
        kaart = hotspot_maps.hotspot_map(db.session, viewer, flt, size, threshold())
    except DomainError as error:
        return form, None, [m for ms in error.errors.values() for m in ms]
    return form, kaart, []


# The rendered parts of an outsider map, per map object (itself cached per publication).
RENDERED = DerivedCache(sources=16, per_source=2)


def _page(gemeente: Gemeente | None):
    form, kaart, errors = _map_for(gemeente)
    parts = None
    if kaart is not None and kaart.exact:
        parts = _render(kaart, gemeente)
    elif kaart is not None:
        parts = RENDERED.get(
            kaart, url_for("static", filename=""), lambda: _render(kaart, gemeente)
        )
    return render_template(
        "hotspots/map.html",
        form=form,
        kaart=kaart,
        parts=parts,
        errors=errors,
        gemeente=gemeente,
        outsider_cell_size=hotspot_maps.OUTSIDER_CELL_SIZE,
    )


def _render(kaart, gemeente: Gemeente | None):
    """The folium parts of a map with the shown gemeenten's boundaries."""
    shown = [gemeente] if gemeente else _gemeenten()
    boundaries = [(g.naam, b) for g in shown if (b := boundary_of(g)) is not None]
    centre = boundaries[0][1].centroid if gemeente and boundaries else None
    location = _latlon(centre) if centre is not None else (52.1, 5.3)
    from pilot.hotspots.render import render_map  # folium: only when a map is drawn

    return render_map(
        kaart,
        boundaries,
        {
            "leaflet": url_for("static", filename="vendor/leaflet/leaflet.js"),
            "leaflet_css": url_for("static", filename="vendor/leaflet/leaflet.css"),
            "leaflet-heat.js": url_for("hotspots.serve_leaflet_heat"),
        },
        location=location,
        zoom=12 if gemeente else 8,
    )


def _latlon(point) -> tuple[float, float]:
    lat, lon = to_wgs84(point.x, point.y)
    return float(lat), float(lon)


def _download(gemeente: Gemeente | None, fmt: str):
    if fmt not in FORMATS:
        abort(404)
    _form, kaart, errors = _map_for(gemeente)
    if kaart is None:
        abort(400)
    codes = {g.id: g.cbs_code for g in _gemeenten()}
    if fmt == "csv":
        body = export.cells_csv(kaart, codes)
    else:
        body = json.dumps(export.cells_geojson(kaart, codes))
    audit.record(
        "download",
        "hotspotkaart",
        gemeente_id=gemeente.id if gemeente else None,
        formaat=fmt,
        celgrootte=kaart.cell_size,
        exact=kaart.exact,
        filter=kaart.filter.as_dict(),
        cellen=len(kaart.downloadbare_cellen),
    )
    db.session.commit()
    name = f"hotspots_{gemeente.cbs_code if gemeente else 'nl'}_{kaart.cell_size}m.{fmt}"
    return Response(
        body,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/kaart")
@requires(B, E, M)
def show_national_map():
    """National hotspot map: 500 m cells, one completed quarter, small counts suppressed."""
    return _page(None)


@bp.route("/kaart/download/<fmt>")
@requires(B, E, M)
@limiter.limit(HEAVY_LIMITS, key_func=per_user)
def download_national_cells(fmt: str):
    """The national map's cells as GeoJSON or CSV (suppressed cells left out)."""
    return _download(None, fmt)


@bp.route("/gemeente/<cbs_code>/kaart")
@requires(B, C, E)
def show_gemeente_map(cbs_code: str):
    """A gemeente's map: exact for its own coordinator, suppressed for everyone else."""
    return _page(visible_gemeente(cbs_code))


@bp.route("/gemeente/<cbs_code>/kaart/download/<fmt>")
@requires(B, C, E)
@limiter.limit(HEAVY_LIMITS, key_func=per_user)
def download_gemeente_cells(cbs_code: str, fmt: str):
    """A gemeente map's cells as GeoJSON or CSV."""
    return _download(visible_gemeente(cbs_code), fmt)


@bp.route("/vendor/leaflet-heat.js")
@public
def serve_leaflet_heat():
    """Leaflet.heat as shipped inside the installed folium package (no CDN)."""
    response = Response(_heat_js(), mimetype="text/javascript")
    response.cache_control.max_age = 86400
    response.cache_control.public = True
    return response


@cache
def _heat_js() -> bytes:
    import folium

    return (Path(folium.__file__).parent / "templates" / "leaflet_heat.min.js").read_bytes()
