"""Boa's, diensten and police figures of the token's gemeente, through their services.

The same services as the web screens: ``pilot.services.boas`` (register under a new
pseudonymous code), ``pilot.services.diensten`` (shift rules, duration derived) and
``pilot.services.politiecijfers`` (upsert per gemeente and month).
"""

from datetime import date, time

from flask import url_for

from pilot.api.auth import requires_token, token_gemeente
from pilot.api.blueprint import API_PREFIX, bp
from pilot.api.openapi import responses, spec
from pilot.api.problems import Problem, field_errors, invalid
from pilot.api.schemas import (
    BoaIn,
    BoaList,
    BoaOut,
    DienstenQuery,
    DienstIn,
    DienstList,
    DienstOut,
    PolitieIn,
    PolitieList,
    PolitieOut,
)
from pilot.extensions import db
from pilot.models import Boa, Dienst, PolitieCijfer
from pilot.services import boas, diensten, politiecijfers
from pilot.services.api.cursor import CursorError, Key, keyset_page
from pilot.services.api.tokens import GEMEENTE, SCHRIJVEN
from pilot.services.errors import DomainError

GEMEENTE_BASE = f"{API_PREFIX}/gemeenten/<cbs_code>"
DIENSTEN_ORDER = Key(
    "diensten", (Dienst.datum, Dienst.begintijd, Dienst.id), ("date", "time", "int")
)


def _rule_errors(error: DomainError):
    db.session.rollback()
    return invalid(field_errors(error.errors))


def _boa(boa: Boa) -> BoaOut:
    return BoaOut(
        id=boa.id,
        code=boa.code,
        actief=boa.actief,
        opleidingsdatum=boa.opleidingsdatum,
        mandaat_start=boa.mandaat_start,
        mandaat_eind=boa.mandaat_eind,
        aangemaakt_op=boa.aangemaakt_op,
    )


@bp.get(f"{GEMEENTE_BASE}/boas")
@requires_token(frozenset({GEMEENTE}))
@spec.validate(resp=responses((404,), HTTP_200=BoaList), tags=["Boa's"])
def list_boas(cbs_code: str):
    """De boa's van de gemeente (actieve eerst), met hun pseudonieme codes."""
    gemeente = token_gemeente(cbs_code)
    rows = db.session.execute(boas.boas_of(gemeente)).scalars()
    return BoaList(boas=[_boa(boa) for boa in rows])


@bp.post(f"{GEMEENTE_BASE}/boas")
@requires_token(frozenset({GEMEENTE}), SCHRIJVEN)
@spec.validate(json=BoaIn, resp=responses((404,), HTTP_201=BoaOut), tags=["Boa's"])
def create_boa(cbs_code: str, json: BoaIn):
    """Registreer een boa; de app geeft de pseudonieme code uit."""
    gemeente = token_gemeente(cbs_code)
    data = boas.BoaInput(**json.model_dump())
    try:
        boa = boas.register_boa(gemeente, data)
    except DomainError as error:
        raise _rule_errors(error) from None
    return _boa(boa), 201


def _dienst(dienst: Dienst) -> DienstOut:
    return DienstOut(
        id=dienst.id,
        version=dienst.version,
        datum=dienst.datum,
        begintijd=dienst.begintijd.strftime("%H:%M"),
        eindtijd=dienst.eindtijd.strftime("%H:%M"),
        duur_minuten=dienst.duur_minuten,
        gebied=dienst.gebied,
        gebiedstype=dienst.gebiedstype,
        aantal_uniform=dienst.aantal_uniform,
        aantal_burger=dienst.aantal_burger,
        inzeturen=round(dienst.inzeturen, 2),
        aangemaakt_op=dienst.aangemaakt_op,
    )


@bp.get(f"{GEMEENTE_BASE}/diensten")
@requires_token(frozenset({GEMEENTE}))
@spec.validate(query=DienstenQuery, resp=responses((404,), HTTP_200=DienstList), tags=["Diensten"])
def list_diensten(cbs_code: str, query: DienstenQuery):
    """Diensten van de gemeente, nieuwste eerst, met cursor-paginering."""
    gemeente = token_gemeente(cbs_code)
    select = diensten.list_diensten(gemeente)
    if query.van:
        select = select.where(Dienst.datum >= query.van)
    if query.tot:
        select = select.where(Dienst.datum <= query.tot)
    try:
        page = keyset_page(
            select,
            DIENSTEN_ORDER,
            query.cursor,
            query.limit,
            lambda d: (d.datum, d.begintijd, d.id),
        )
    except CursorError:
        raise invalid([{"detail": "Deze cursor is ongeldig.", "parameter": "cursor"}]) from None
    return DienstList(diensten=[_dienst(d) for d in page.rows], volgende=page.volgende)


@bp.post(f"{GEMEENTE_BASE}/diensten")
@requires_token(frozenset({GEMEENTE}), SCHRIJVEN)
@spec.validate(json=DienstIn, resp=responses((404,), HTTP_201=DienstOut), tags=["Diensten"])
def create_dienst(cbs_code: str, json: DienstIn):
    """Registreer een dienst; een eindtijd vóór de begintijd betekent: na middernacht."""
    gemeente = token_gemeente(cbs_code)
    item = diensten.DienstInput(
        datum=json.datum,
        begintijd=time.fromisoformat(json.begintijd),
        eindtijd=time.fromisoformat(json.eindtijd),
        gebied=json.gebied,
        aantal_uniform=json.aantal_uniform,
        aantal_burger=json.aantal_burger,
        gebiedstype=json.gebiedstype,
    )
    try:
        dienst = diensten.create_dienst(gemeente, item)
    except DomainError as error:
        raise _rule_errors(error) from None
    return _dienst(dienst), 201


def _cijfers(row: PolitieCijfer) -> PolitieOut:
    return PolitieOut(
        maand=row.maand.strftime("%Y-%m"),
        meldingen=row.meldingen,
        aangiftes=row.aangiftes,
        processen_verbaal=row.processen_verbaal,
    )


@bp.get(f"{GEMEENTE_BASE}/politiecijfers")
@requires_token(frozenset({GEMEENTE}))
@spec.validate(resp=responses((404,), HTTP_200=PolitieList), tags=["Politiecijfers"])
def list_politiecijfers(cbs_code: str):
    """De politiecijfers van de gemeente per maand, nieuwste eerst."""
    gemeente = token_gemeente(cbs_code)
    rows = db.session.execute(politiecijfers.list_cijfers(gemeente)).scalars()
    return PolitieList(politiecijfers=[_cijfers(row) for row in rows])


def _month(maand: str) -> date:
    try:
        year, month = (int(part) for part in maand.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise Problem(404) from None


@bp.put(f"{GEMEENTE_BASE}/politiecijfers/<maand>")
@requires_token(frozenset({GEMEENTE}), SCHRIJVEN)
@spec.validate(
    json=PolitieIn,
    resp=responses((404,), HTTP_200=PolitieOut, HTTP_201=PolitieOut),
    tags=["Politiecijfers"],
)
def save_politiecijfers(cbs_code: str, maand: str, json: PolitieIn):
    """Sla de cijfers van één maand (jjjj-mm) op of corrigeer ze (201 nieuw, 200 gewijzigd)."""
    gemeente = token_gemeente(cbs_code)
    month = _month(maand)
    new = politiecijfers.get_cijfers(gemeente, month) is None
    item = politiecijfers.PolitieInput(maand=month, **json.model_dump())
    try:
        row = politiecijfers.save_cijfers(gemeente, item)
    except DomainError as error:
        db.session.rollback()
        month_errors = [{"detail": m, "parameter": "maand"} for m in error.errors.pop("maand", [])]
        raise invalid(month_errors + field_errors(error.errors)) from None
    location = url_for("api.list_politiecijfers", cbs_code=cbs_code)
    return _cijfers(row), 201 if new else 200, {"Content-Location": location}
