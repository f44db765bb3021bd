"""Incident screens, for the gemeente's own coordinator only.

Exact points are for the gemeente's coordinator (DOMAIN.md); everyone else works with
aggregated maps and reports, so these routes answer 403 for other roles and 404 for another
gemeente's coordinator. The rules themselves live in ``pilot.services.incidenten``.
"""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import inspect

from gemeenten.boundaries import to_wgs84
from pilot import codes
from pilot.access import requires, visible_gemeente
from pilot.audit import history_of
from pilot.extensions import db
from pilot.forms import parse_version, select_choices
from pilot.incidenten.forms import ALLE, FilterForm, IncidentForm, IntrekkenForm
from pilot.models import Gemeente, Incident, Rol
from pilot.pagination import paginate
from pilot.services import geocoder, incidenten, pii
from pilot.services.errors import Conflict, DomainError
from pilot.services.gemeenten import boundary_geojson, boundary_of

bp = Blueprint("incidenten", __name__, url_prefix="/gemeente/<cbs_code>/incidenten")

CHANGED_MESSAGE = "Dit incident is intussen door iemand anders gewijzigd."
CONFLICT_MESSAGE = (
    f"{CHANGED_MESSAGE} Uw invoer staat hieronder nog; vergelijk met de huidige gegevens "
    "en sla opnieuw op om uw wijziging toch door te voeren."
)
FIELD_CODES = {**incidenten.CODE_FIELDS, "tijdvak": codes.TIJDVAK}
# How the audit history names a changed field (pilot.audit keeps names, never values).
FIELD_LABELS = {
    "tijdstip": "datum en tijd",
    "locatie": "locatie",
    "boa_id": "boa",
    "gedragingen": "gedragingen",
    "aantal_verdachten": "aantal verdachten",
    "aantal_slachtoffers": "aantal slachtoffers",
    "slachtofferhulp": "slachtofferhulp",
    "zaaknummer_hmac": "zaaknummer",
    "opmerking": "opmerking",
    "ingetrokken_op": "ingetrokken",
    "intrek_reden": "reden van intrekken",
    "grens_gecontroleerd": "grenscontrole",
    **{name: code_list.titel.lower() for name, code_list in incidenten.CODE_FIELDS.items()},
}


@bp.app_template_global()
def incident_waarde(name: str, value):
    """A stored incident value as a person reads it (code labels, conduct names)."""
    if value is None or value == "":
        return "—"
    if name == "gedragingen" and isinstance(value, int):
        return ", ".join(codes.GEDRAGING.label(c) for c in codes.mask_to_gedragingen(value))
    if name in FIELD_CODES:
        return FIELD_CODES[name].label(value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return value


@bp.app_template_global()
def gewijzigde_velden(details: dict | None) -> str:
    """The fields an audit event says were changed, in words (older events: their keys)."""
    details = details or {}
    names = details.get("velden", list(details))
    labels = dict.fromkeys(FIELD_LABELS.get(name, name.replace("_", " ")) for name in names)
    return ", ".join(labels) or "—"


def _boas(gemeente: Gemeente) -> list:
    return sorted(incidenten.boas_by_id(gemeente).values(), key=lambda b: b.code)


def _inside_point(gemeente: Gemeente) -> tuple[float, float] | None:
    """A point surely inside the gemeente (lat, lon), where the form's map is centred: Enter
    on the map then places a valid location (a boundary's box centre can lie outside it)."""
    boundary = boundary_of(gemeente)
    if boundary is None:
        return None
    point = boundary.point_on_surface()
    lat, lon = to_wgs84(point.x, point.y)
    return round(float(lat), 6), round(float(lon), 6)


def _render_form(gemeente: Gemeente, form: IncidentForm, incident: Incident | None = None, **kw):
    return render_template(
        "incidenten/form.html",
        gemeente=gemeente,
        form=form,
        incident=incident,
        grens=boundary_geojson(gemeente),
        midden=_inside_point(gemeente),
        niet_noteren=pii.NOT_STORED,
        **kw,
    )


@bp.route("/")
@requires(Rol.COORDINATOR)
def list_incidenten(cbs_code: str):
    """The gemeente's incidents, filtered and paginated."""
    gemeente = visible_gemeente(cbs_code)
    boas = _boas(gemeente)
    form = FilterForm(request.args)
    form.boa_id.choices = select_choices([ALLE], ((b.id, b.code) for b in boas))
    pagination = paginate(incidenten.list_incidenten(gemeente, **form.filters()))
    return render_template(
        "incidenten/list.html",
        gemeente=gemeente,
        form=form,
        pagination=pagination,
        boa_codes={b.id: b.code for b in boas},
    )


@bp.route("/nieuw", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def new_incident(cbs_code: str):
    """Register an incident."""
    gemeente = visible_gemeente(cbs_code)
    form = IncidentForm()
    if form.validate_on_submit():  # the boa list is not a choice check: the service checks
        try:
            incident = incidenten.create_incident(gemeente, form.to_input())
        except DomainError as error:
            form.attach(error)
        else:
            flash("Het incident is geregistreerd.", "success")
            # the commit expired the object: its identity gives the id without a reload
            incident_id = inspect(incident).identity[0]
            return redirect(url_for(".show_incident", cbs_code=cbs_code, incident_id=incident_id))
    form.set_boas(_boas(gemeente))
    return _render_form(gemeente, form)


@bp.route("/<int:incident_id>")
@requires(Rol.COORDINATOR)
def show_incident(cbs_code: str, incident_id: int):
    """One incident with its audit history."""
    gemeente = visible_gemeente(cbs_code)
    incident = incidenten.get_incident(gemeente, incident_id)
    history = db.session.execute(history_of("incident", incident.id)).scalars().all()
    return render_template(
        "incidenten/show.html",
        gemeente=gemeente,
        incident=incident,
        history=history,
        grens=boundary_geojson(gemeente),
    )


@bp.route("/<int:incident_id>/wijzigen", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def edit_incident(cbs_code: str, incident_id: int):
    """Correct an incident; a concurrent change gives a conflict, the input stays on the form."""
    gemeente = visible_gemeente(cbs_code)
    incident = incidenten.get_incident(gemeente, incident_id)
    if incident.ingetrokken:
        flash("Een ingetrokken incident kan niet meer worden gewijzigd.", "error")
        return redirect(url_for(".show_incident", cbs_code=cbs_code, incident_id=incident.id))
    form = IncidentForm()
    form.set_boas(_boas(gemeente), incident.boa_id)
    if not form.is_submitted():
        form.fill_from(incidenten.input_from_incident(incident), incident.version)
    elif form.validate():
        result = _save_edit(gemeente, incident, form)
        if result is not None:
            return result
    return _render_form(gemeente, form, incident, conflict=form.form_errors == [CONFLICT_MESSAGE])


def _save_edit(gemeente: Gemeente, incident: Incident, form: IncidentForm):
    """Store the edit; on a conflict show the current version and let the user decide."""
    try:
        expected = parse_version(form.version.data)
        incidenten.update_incident(gemeente, incident, form.to_input(), expected)
    except Conflict:
        db.session.refresh(incident)
        form.version.data = str(incident.version)
        form.form_errors.append(CONFLICT_MESSAGE)
        return None
    except DomainError as error:
        form.attach(error)
        return None
    flash("De wijziging is opgeslagen.", "success")
    return redirect(url_for(".show_incident", cbs_code=gemeente.cbs_code, incident_id=incident.id))


@bp.route("/<int:incident_id>/intrekken", methods=["GET", "POST"])
@requires(Rol.COORDINATOR)
def withdraw_incident(cbs_code: str, incident_id: int):
    """Withdraw an incident after confirmation, with a reason."""
    gemeente = visible_gemeente(cbs_code)
    incident = incidenten.get_incident(gemeente, incident_id)
    form = IntrekkenForm(version=str(incident.version))
    if form.validate_on_submit():
        try:
            incidenten.withdraw_incident(
                incident, form.reden.data, parse_version(form.version.data)
            )
        except Conflict:
            form.form_errors.append(f"{CHANGED_MESSAGE} Bekijk het incident opnieuw.")
        except DomainError as error:
            form.attach(error)
        else:
            flash("Het incident is ingetrokken. Het telt niet meer mee in overzichten.", "success")
            return redirect(url_for(".show_incident", cbs_code=cbs_code, incident_id=incident.id))
    return render_template(
        "incidenten/withdraw.html", gemeente=gemeente, incident=incident, form=form
    )


@bp.route("/adressen")
@requires(Rol.COORDINATOR)
def suggest_addresses(cbs_code: str):
    """Address suggestions in the gemeente (PDOK Locatieserver), as JSON for the form."""
    gemeente = visible_gemeente(cbs_code)
    base_url = current_app.config["PILOT_PDOK_LOCATIESERVER_URL"]
    try:
        found = geocoder.suggest(base_url, request.args.get("q", ""), gemeente.cbs_code)
    except geocoder.GeocoderUnavailable as error:
        return jsonify(melding=str(error)), 503
    return jsonify(suggesties=[{"id": s.id, "naam": s.naam} for s in found])


@bp.route("/adressen/<pdok_id>")
@requires(Rol.COORDINATOR)
def lookup_address(cbs_code: str, pdok_id: str):
    """The point of one suggestion, as JSON; 404 outside the gemeente."""
    gemeente = visible_gemeente(cbs_code)
    base_url = current_app.config["PILOT_PDOK_LOCATIESERVER_URL"]
    try:
        location = geocoder.lookup(base_url, pdok_id, gemeente.cbs_code)
    except geocoder.GeocoderUnavailable as error:
        return jsonify(melding=str(error)), 503
    if location is None:
        abort(404)
    return jsonify(naam=location.naam, lat=location.lat, lon=location.lon)
