"""Incidents of the token's gemeente: create one or a batch, list, get, update, withdraw.

Every write goes through ``pilot.services.incidenten`` (the rules of the web form and the
import); the batch through ``pilot.services.api.batches`` (all or nothing, once per
``Idempotency-Key``). An update and a withdrawal name the version they change in
``If-Match``; a record changed since answers 412 with the current version.
"""

from flask import request, url_for

from pilot import codes
from pilot.api.auth import current_token, requires_token, token_gemeente
from pilot.api.blueprint import API_PREFIX, bp
from pilot.api.openapi import responses, spec
from pilot.api.problems import Problem, field_errors, invalid
from pilot.api.schemas import (
    BatchOut,
    IdempotencyHeaders,
    IfMatchHeaders,
    IncidentBatchIn,
    IncidentenQuery,
    IncidentIn,
    IncidentList,
    IncidentOut,
    IntrekkenIn,
    Locatie,
)
from pilot.extensions import db
from pilot.models import Boa, Gemeente, Incident
from pilot.services import incidenten
from pilot.services.api import batches
from pilot.services.api.cursor import CursorError, Key, keyset_page
from pilot.services.api.tokens import GEMEENTE, SCHRIJVEN
from pilot.services.errors import Conflict, DomainError
from pilot.services.incidenten import IncidentInput, RowErrors

TAG = "Incidenten"
BASE = f"{API_PREFIX}/gemeenten/<cbs_code>/incidenten"
FIELD_NAMES = {"boa_id": "boa_code"}
CODE_FILTERS = {
    "gedraging": codes.GEDRAGING,
    "afdoening": codes.AFDOENING,
    "locatie_type": codes.LOCATIE_TYPE,
}
ORDER = Key("incidenten", (Incident.tijdstip, Incident.id), ("datetime", "int"))


def _boas_by_code(gemeente: Gemeente) -> dict[str, Boa]:
    return {boa.code.upper(): boa for boa in incidenten.boas_by_id(gemeente).values()}


def to_input(body: IncidentIn, boas: dict[str, Boa], gemeente: Gemeente):
    """The service's input and the format errors (an unknown boa code) of one item."""
    boa = boas.get(body.boa_code.strip().upper())
    errors: RowErrors = {}
    if boa is None:
        errors["boa_id"] = [f"Deze boa-code is niet bekend bij {gemeente.naam}."]
    item = IncidentInput(
        tijdstip=body.tijdstip,
        lat=body.locatie.lat,
        lon=body.locatie.lon,
        boa_id=boa.id if boa else None,
        locatie_type=body.locatie_type,
        gedragingen=list(body.gedragingen),
        kennisname=body.kennisname,
        kleding=body.kleding,
        rol_boa=body.rol_boa,
        afdoening=body.afdoening,
        aantal_verdachten=body.aantal_verdachten,
        leeftijd_verdachten=body.leeftijd_verdachten,
        aantal_slachtoffers=body.aantal_slachtoffers,
        slachtofferhulp=body.slachtofferhulp,
        zaaknummer=body.zaaknummer,
        opmerking=body.opmerking,
    )
    return item, errors


def to_output(incident: Incident, boa_codes: dict[int, str]) -> IncidentOut:
    return IncidentOut(
        id=incident.id,
        version=incident.version,
        tijdstip=incident.tijdstip,
        lokale_datum=incident.lokale_datum,
        weekdag=incident.weekdag,
        tijdvak=incident.tijdvak,
        locatie=Locatie(lat=incident.lat, lon=incident.lon),
        boa_code=boa_codes.get(incident.boa_id, ""),
        locatie_type=incident.locatie_type,
        gedragingen=codes.mask_to_gedragingen(incident.gedragingen),
        kennisname=incident.kennisname,
        kleding=incident.kleding,
        rol_boa=incident.rol_boa,
        afdoening=incident.afdoening,
        aantal_verdachten=incident.aantal_verdachten,
        leeftijd_verdachten=incident.leeftijd_verdachten,
        aantal_slachtoffers=incident.aantal_slachtoffers,
        slachtofferhulp=incident.slachtofferhulp,
        heeft_zaaknummer=incident.zaaknummer_hmac is not None,
        opmerking=incident.opmerking,
        grens_gecontroleerd=incident.grens_gecontroleerd,
        synthetisch=incident.synthetisch,
        ingetrokken=incident.ingetrokken,
        ingetrokken_op=incident.ingetrokken_op,
        intrek_reden=incident.intrek_reden,
        aangemaakt_op=incident.aangemaakt_op,
        gewijzigd_op=incident.gewijzigd_op,
    )


def _one(incident: Incident, status: int = 200):
    boa_code = db.session.get(Boa, incident.boa_id).code
    headers = {
        "ETag": f'"{incident.version}"',
        "Location": url_for(
            "api.get_incident", cbs_code=incident.gemeente.cbs_code, incident_id=incident.id
        ),
    }
    return to_output(incident, {incident.boa_id: boa_code}), status, headers


def _invalid(errors: RowErrors, prefix: str = "#"):
    return invalid(field_errors(errors, prefix, FIELD_NAMES))


def _expected_version(header: str | None, incident: Incident, required: bool) -> int:
    """The version named in If-Match; 428 without one (when required), 412 when stale."""
    if header is None:
        if required:
            raise Problem(428)
        return incident.version
    value = header.strip()
    if value == "*":
        return incident.version
    value = value.removeprefix("W/").strip('"')
    if not value.isdigit() or int(value) != incident.version:
        raise Problem(412, huidige_versie=incident.version)
    return int(value)


@bp.get(BASE)
@requires_token(frozenset({GEMEENTE}))
@spec.validate(query=IncidentenQuery, resp=responses((404,), HTTP_200=IncidentList), tags=[TAG])
def list_incidenten(cbs_code: str, query: IncidentenQuery):
    """Incidenten van de gemeente, nieuwste eerst, met filters en cursor-paginering.

    De cursor uit `volgende` geeft de volgende pagina; de `Link`-header noemt dezelfde URL.
    """
    gemeente = token_gemeente(cbs_code)
    boas = incidenten.boas_by_id(gemeente)
    boa_ids = {boa.code.upper(): boa.id for boa in boas.values()}
    filters = query.model_dump(exclude={"limit", "cursor", "boa_code"})
    for name, code_list in CODE_FILTERS.items():
        if filters.get(name) and filters[name] not in code_list:
            raise invalid([{"detail": "Onbekende code.", "parameter": name}])
    if query.boa_code:
        filters["boa_id"] = boa_ids.get(query.boa_code.strip().upper(), -1)
    select = incidenten.list_incidenten(gemeente, **filters)
    try:
        page = keyset_page(select, ORDER, query.cursor, query.limit, lambda i: (i.tijdstip, i.id))
    except CursorError:
        raise invalid([{"detail": "Deze cursor is ongeldig.", "parameter": "cursor"}]) from None
    boa_codes = {boa.id: boa.code for boa in boas.values()}
    headers = {}
    if page.volgende:
        args = {**request.args.to_dict(), "cursor": page.volgende}
        headers["Link"] = (
            f'<{url_for("api.list_incidenten", cbs_code=cbs_code, **args)}>; rel="next"'
        )
    body = IncidentList(
        incidenten=[to_output(i, boa_codes) for i in page.rows], volgende=page.volgende
    )
    return body, 200, headers


@bp.post(BASE)
@requires_token(frozenset({GEMEENTE}), SCHRIJVEN)
@spec.validate(json=IncidentIn, resp=responses((404,), HTTP_201=IncidentOut), tags=[TAG])
def create_incident(cbs_code: str, json: IncidentIn):
    """Registreer één incident (dezelfde regels als het webformulier)."""
    gemeente = token_gemeente(cbs_code)
    item, errors = to_input(json, _boas_by_code(gemeente), gemeente)
    try:
        if errors:
            found = incidenten.validate_batch(gemeente, [item])[0]
            raise DomainError(batches.merge_errors(errors, found))
        incident = incidenten.create_incident(gemeente, item)
    except DomainError as error:
        db.session.rollback()
        raise _invalid(error.errors) from None
    return _one(incident, 201)


@bp.post(f"{BASE}/batch")
@requires_token(frozenset({GEMEENTE}), SCHRIJVEN)
@spec.validate(
    json=IncidentBatchIn,
    headers=IdempotencyHeaders,
    resp=responses((400, 404), HTTP_201=BatchOut),
    tags=[TAG],
)
def create_incident_batch(cbs_code: str, json: IncidentBatchIn, headers: IdempotencyHeaders):
    """Registreer tot 1.000 incidenten in één keer: alles of niets.

    Verplicht: `Idempotency-Key`. Hetzelfde verzoek met dezelfde sleutel (bijvoorbeeld na
    een time-out) schrijft niets opnieuw en geeft het eerste antwoord terug, met de header
    `Idempotent-Replayed: true`. Een sleutel die eerder voor een ander verzoek is gebruikt,
    geeft 422. Bij fouten wordt niets opgeslagen; `errors` wijst per incident het veld aan
    (`#/incidenten/3/tijdstip`).
    """
    gemeente = token_gemeente(cbs_code)
    sleutel = headers.idempotency_key
    if not sleutel or not sleutel.strip():
        raise Problem(
            400,
            "Stuur een Idempotency-Key mee (bijvoorbeeld een UUID).",
            errors=[{"detail": "Dit veld is verplicht.", "header": "Idempotency-Key"}],
        )
    boas = _boas_by_code(gemeente)
    converted = [to_input(body, boas, gemeente) for body in json.incidenten]
    try:
        result = batches.create_batch(
            gemeente,
            [item for item, _ in converted],
            [errors for _, errors in converted],
            sleutel.strip(),
            batches.request_hash(request.get_json()),
            current_token().id,
        )
    except batches.BatchInvalid as error:
        found = [
            problem
            for index, errors in enumerate(error.errors)
            for problem in field_errors(errors, f"#/incidenten/{index}", FIELD_NAMES)
        ]
        raise invalid(
            found, f"{sum(map(bool, error.errors))} incident(en) ongeldig; niets opgeslagen."
        ) from None
    except batches.IdempotencyMismatch:
        raise Problem(422, soort="idempotentie") from None
    headers = {"Idempotent-Replayed": "true"} if result.herhaald else {}
    return BatchOut.model_validate(result.antwoord), result.status, headers


@bp.get(f"{BASE}/<int:incident_id>")
@requires_token(frozenset({GEMEENTE}))
@spec.validate(resp=responses((404,), HTTP_200=IncidentOut), tags=[TAG])
def get_incident(cbs_code: str, incident_id: int):
    """Eén incident; de ETag-header is de versie."""
    gemeente = token_gemeente(cbs_code)
    return _one(incidenten.get_incident(gemeente, incident_id))


@bp.put(f"{BASE}/<int:incident_id>")
@requires_token(frozenset({GEMEENTE}), SCHRIJVEN)
@spec.validate(
    json=IncidentIn,
    headers=IfMatchHeaders,
    resp=responses((404, 412, 428), HTTP_200=IncidentOut),
    tags=[TAG],
)
def update_incident(cbs_code: str, incident_id: int, json: IncidentIn, headers: IfMatchHeaders):
    """Wijzig een incident (alle velden); verplicht `If-Match` met de versie.

    Is het record sinds het lezen gewijzigd, dan volgt 412 met `huidige_versie`.
    """
    gemeente = token_gemeente(cbs_code)
    incident = incidenten.get_incident(gemeente, incident_id)
    version = _expected_version(headers.if_match, incident, required=True)
    item, errors = to_input(json, _boas_by_code(gemeente), gemeente)
    try:
        if errors:
            found = incidenten.validate_batch(gemeente, [item], ignore_incident_id=incident.id)
            raise DomainError(batches.merge_errors(errors, found[0]))
        incident = incidenten.update_incident(gemeente, incident, item, version)
    except DomainError as error:
        db.session.rollback()
        raise _invalid(error.errors) from None
    except Conflict:
        current = db.session.get(Incident, incident_id)
        raise Problem(412, huidige_versie=current.version if current else None) from None
    return _one(incident)


@bp.post(f"{BASE}/<int:incident_id>/intrekken")
@requires_token(frozenset({GEMEENTE}), SCHRIJVEN)
@spec.validate(
    json=IntrekkenIn,
    headers=IfMatchHeaders,
    resp=responses((404, 412), HTTP_200=IncidentOut),
    tags=[TAG],
)
def withdraw_incident(cbs_code: str, incident_id: int, json: IntrekkenIn, headers: IfMatchHeaders):
    """Trek een incident in, met een reden; het telt dan nergens meer mee.

    `If-Match` is hier niet verplicht; wordt het meegestuurd, dan geldt het als bij wijzigen.
    """
    gemeente = token_gemeente(cbs_code)
    incident = incidenten.get_incident(gemeente, incident_id)
    version = _expected_version(headers.if_match, incident, required=False)
    try:
        incident = incidenten.withdraw_incident(incident, json.reden, version)
    except DomainError as error:
        db.session.rollback()
        raise _invalid(error.errors) from None
    except Conflict:
        current = db.session.get(Incident, incident_id)
        raise Problem(412, huidige_versie=current.version if current else None) from None
    return _one(incident)
