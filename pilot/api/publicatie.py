"""Code lists (every token) and, for evaluator and ministerie tokens, the outsider
publication: its periods, its figures and its hotspot cells.

Outsiders get nothing but what the disclosure module publishes
(``pilot.services.disclosure``): completed quarters, closed years and the whole pilot;
every figure as the reports write it, the exact number only where it may be shown
(``Publication.rows``, the same rows as the tables download); hotspot cells of one
completed quarter at 500 m, without the cells whose count is suppressed (as the map
downloads). Each figure request is an export in the audit trail (the call's event).
"""

from pilot import codes
from pilot.api.auth import ALLE, current_token, requires_token
from pilot.api.blueprint import API_PREFIX, bp
from pilot.api.openapi import responses, spec
from pilot.api.problems import invalid
from pilot.api.schemas import (
    CijferOut,
    CijfersOut,
    CijfersQuery,
    CodelijstenOut,
    CodelijstOut,
    CodeOut,
    HotspotCelOut,
    HotspotsOut,
    HotspotsQuery,
    PeriodenOut,
    PeriodeOut,
)
from pilot.extensions import db
from pilot.models import Gemeente, Rol
from pilot.quarters import parse_quarter
from pilot.services.api.cursor import CursorError, offset_cursor, offset_of
from pilot.services.api.tokens import EVALUATOR, MINISTERIE, OUTSIDERS
from pilot.services.disclosure.lattice import Status
from pilot.services.disclosure.policy import Viewer, outsider_publication, threshold
from pilot.services.errors import DomainError
from pilot.services.hotspots import maps
from pilot.services.hotspots.grid import HotspotFilter

STATUS = {
    Status.EXACT: "exact",
    Status.PRIMARY: "klein",
    Status.SECONDARY: "beschermd",
    Status.HIDDEN: "niet_getoond",
    Status.MASKED: "beschermd",
}
VIEWERS = {EVALUATOR: Rol.EVALUATOR, MINISTERIE: Rol.MINISTERIE}


@bp.get(f"{API_PREFIX}/codelijsten")
@requires_token(ALLE)
@spec.validate(resp=responses(HTTP_200=CodelijstenOut), tags=["Codelijsten"])
def list_codelijsten():
    """Alle codelijsten met hun stabiele codes en Nederlandse labels."""
    lists = [*codes.ALL_CODE_LISTS, *codes.DERIVED_CODE_LISTS]
    return CodelijstenOut(
        codelijsten=[
            CodelijstOut(
                naam=code_list.name,
                titel=code_list.titel,
                codes=[
                    CodeOut(code=c.code, label=c.label, toelichting=c.toelichting)
                    for c in code_list.codes
                ],
            )
            for code_list in lists
        ]
    )


@bp.get(f"{API_PREFIX}/publicatie/perioden")
@requires_token(OUTSIDERS)
@spec.validate(resp=responses(HTTP_200=PeriodenOut), tags=["Publicatie"])
def list_perioden():
    """De perioden waarover cijfers gepubliceerd zijn, en de kwartalen met hotspotcellen."""
    publication = outsider_publication()
    return PeriodenOut(
        perioden=[
            PeriodeOut(sleutel=p.key, soort=p.kind, van=p.van, tot=p.tot, label=p.label)
            for p in publication.offered_periods()
        ],
        kwartalen_hotspots=[q.code for q in reversed(publication.quarters)],
    )


@bp.get(f"{API_PREFIX}/publicatie/cijfers")
@requires_token(OUTSIDERS)
@spec.validate(query=CijfersQuery, resp=responses(HTTP_200=CijfersOut), tags=["Publicatie"])
def list_cijfers(query: CijfersQuery):
    """De gepubliceerde cijfers (alle tabellen, per gemeente, tranche en land), beschermd.

    Dezelfde rijen als de tabellen-download: kleine aantallen als `<5`, ter bescherming
    verborgen cellen als `×`; `aantal` alleen als het getal getoond mag worden.
    """
    publication = outsider_publication()
    try:
        start = offset_of("cijfers", query.cursor)
    except CursorError:
        raise invalid([{"detail": "Deze cursor is ongeldig.", "parameter": "cursor"}]) from None
    wanted = {"tabel": query.tabel, "eenheid": query.eenheid, "periode": query.periode}
    rows = [
        row
        for row in publication.rows()
        if all(value is None or row[i] == value for i, value in enumerate(wanted.values()))
    ]
    page = rows[start : start + query.limit]
    more = start + query.limit < len(rows)
    return CijfersOut(
        k=publication.k,
        cijfers=[
            CijferOut(
                tabel=tabel,
                eenheid=eenheid,
                periode=periode,
                codes=codes_,
                weergave=shown.text.replace(".", ""),
                aantal=shown.value if shown.exact else None,
                status=STATUS[shown.status],
            )
            for tabel, eenheid, periode, codes_, shown in page
        ],
        volgende=offset_cursor("cijfers", start + query.limit) if more else None,
    )


@bp.get(f"{API_PREFIX}/publicatie/hotspots")
@requires_token(OUTSIDERS)
@spec.validate(query=HotspotsQuery, resp=responses(HTTP_200=HotspotsOut), tags=["Publicatie"])
def list_hotspots(query: HotspotsQuery):
    """Hotspotcellen (500 m) van één afgesloten kwartaal, met Gi*-klasse, per gemeente.

    Zonder `gemeente` alle gemeenten (de landelijke kaart is precies de vereniging van de
    gemeentekaarten). Cellen met een onderdrukt aantal staan er niet in.
    """
    gemeenten = {g.id: g.cbs_code for g in db.session.execute(db.select(Gemeente)).scalars()}
    ids: tuple[int, ...] = ()
    if query.gemeente:
        ids = tuple(i for i, code in gemeenten.items() if code == query.gemeente)
        if not ids:
            raise invalid([{"detail": "Onbekende gemeente.", "parameter": "gemeente"}])
    try:
        quarter = parse_quarter(query.kwartaal)
        viewer = Viewer(VIEWERS[current_token().soort])
        flt = HotspotFilter(van=quarter.start, tot=quarter.end, gemeente_ids=ids)
        kaart = maps.hotspot_map(db.session, viewer, flt, maps.OUTSIDER_CELL_SIZE, threshold())
    except (DomainError, ValueError):
        raise invalid(
            [{"detail": "Kies een afgesloten kwartaal uit de publicatie.", "parameter": "kwartaal"}]
        ) from None
    return HotspotsOut(
        kwartaal=query.kwartaal,
        celgrootte_m=kaart.cell_size,
        k=kaart.k,
        cellen=[
            HotspotCelOut(
                gemeente=gemeenten.get(cel.gemeente_id, ""),
                x_rd=cel.x,
                y_rd=cel.y,
                aantal=cel.aantal,
                gi_klasse=cel.klasse,
            )
            for cel in kaart.downloadbare_cellen
        ],
    )
