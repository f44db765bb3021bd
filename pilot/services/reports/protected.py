"""An outsider report's figures, cut from the protected publication.

``ProtectedFigures`` has the attributes the report templates read from ``Figures`` (the
coordinator's exact figures), but every count is a ``Shown`` from the publication: exact,
``<k`` or ``×``, decided once for all outsider outputs together. Effort (diensten,
inzeturen) is not a count of people in incidents and is exact for everyone.
"""

from dataclasses import dataclass, field
from datetime import datetime

from pilot import codes
from pilot.services.disclosure.labels import Shown
from pilot.services.disclosure.publication import (
    AANRAKING,
    ALL,
    KWALITEIT,
    SLACHTOFFER,
    Period,
    Publication,
)
from pilot.services.reports.figures import Figures

PV = "proces_verbaal"
AF = "afdoening"  # the lattice of afdoening × kleding × leeftijd × aanraking


@dataclass
class ProtectedFigures:
    """The figures of one gemeente ("GM0599"), tranche ("T1") or the country ("NL")."""

    incidenten: Shown
    afdoening: dict[str, Shown]
    kleding: dict[str, Shown]
    kleding_pv: dict[str, Shown]
    locatie_type: dict[str, Shown]
    gedraging: dict[str, Shown]
    kennisname: dict[str, Shown]
    rol_boa: dict[str, Shown]
    leeftijd: dict[str, Shown]
    weekdag: dict[int, Shown]
    tijdvak: dict[str, Shown]
    weekdag_tijdvak: dict[tuple[int, str], Shown] | None
    kwaliteit: dict[str, Shown]
    politie_maten: dict[str, Shown | None]
    politie_maanden: int
    actieve_boas: Shown | None
    effort: Figures
    kwartalen: list[tuple[str, Shown]] = field(default_factory=list)
    slachtoffer: dict[str, Shown] = field(default_factory=dict)
    # touching (met/zonder/ALL) × outcome (codes and ALL); None where it is not offered
    aanraking_afdoening: dict[tuple[str, str], Shown | None] = field(default_factory=dict)
    # per quarter of the period: (label, incidents, pv's); None outside the pilot
    reeks: list[tuple[str, Shown | None, Shown | None]] = field(default_factory=list)
    ingetrokken: None = None  # withdrawals are a data-quality figure of the gemeente itself

    @property
    def pv(self) -> Shown:
        return self.afdoening[PV]

    @property
    def waarschuwingen(self) -> Shown:
        return self.afdoening["waarschuwing"]

    @property
    def overgedragen(self) -> Shown:
        return self.afdoening["overgedragen_politie"]

    @property
    def reprimandes(self) -> Shown:
        return self.afdoening["reprimande"]

    @property
    def geimporteerd(self) -> Shown:
        return self.kwaliteit["geimporteerd"]

    @property
    def leeftijd_onbekend(self) -> Shown:
        return self.leeftijd["onbekend"]

    @property
    def laat_geregistreerd(self) -> Shown:
        return self.kwaliteit["laat_geregistreerd"]

    @property
    def pv_zonder_zaaknummer(self) -> Shown:
        return self.kwaliteit["pv_zonder_zaaknummer"]

    @property
    def grens_niet_gecontroleerd(self) -> Shown:
        return self.kwaliteit["grens_niet_gecontroleerd"]

    @property
    def diensten(self) -> int:
        return self.effort.diensten

    @property
    def inzetminuten_uniform(self) -> int:
        return self.effort.inzetminuten_uniform

    @property
    def inzetminuten_burger(self) -> int:
        return self.effort.inzetminuten_burger

    @property
    def inzeturen(self) -> float:
        return self.effort.inzeturen

    @property
    def laatste_wijziging(self) -> datetime | None:
        return self.effort.laatste_wijziging

    def politie_totaal(self, name: str) -> Shown | None:
        return self.politie_maten[name] if self.politie_maanden else None


def _codes(code_list: codes.CodeList) -> list[str]:
    return [item.code for item in code_list.codes]


def protected_figures(
    publication: Publication, unit: str, period: Period, effort: Figures
) -> ProtectedFigures:
    """The figures of ``unit`` for ``period`` as an outsider gets them.

    A cell the publication does not offer is None (written "—"): tranche and national
    cells of most breakdowns exist for closed years and the pilot only, not per quarter.
    """
    key = period.key

    def figure(name: str, *codes_: str) -> Shown | None:
        return _offered(publication.figure, name, unit, key, *codes_)

    def breakdown(name: str, code_list: codes.CodeList, *rest: str) -> dict[str, Shown | None]:
        return {c: figure(name, c, *rest) for c in _codes(code_list)}

    cross = None
    if period.kind == "P":  # the cross table is offered for the whole pilot only
        cross = {
            (int(w), t): figure("weekdag_tijdvak", w, t)
            for w in _codes(codes.WEEKDAG)
            for t in _codes(codes.TIJDVAK)
        }
    quarters = [q for q in publication.quarters if q in period.quarters]
    return ProtectedFigures(
        incidenten=publication.spine(unit, key),
        afdoening=breakdown(AF, codes.AFDOENING, ALL, ALL),
        kleding={c: figure(AF, ALL, c, ALL) for c in _codes(codes.KLEDING)},
        kleding_pv={c: figure(AF, PV, c, ALL) for c in _codes(codes.KLEDING)},
        locatie_type=breakdown("locatie_type", codes.LOCATIE_TYPE),
        gedraging=breakdown("gedraging", codes.GEDRAGING),
        kennisname=breakdown("kennisname", codes.KENNISNAME),
        rol_boa=breakdown("rol_boa", codes.ROL_BOA),
        leeftijd={c: figure(AF, ALL, ALL, c) for c in _codes(codes.LEEFTIJD)},
        weekdag={int(w): figure("weekdag_tijdvak", w, ALL) for w in _codes(codes.WEEKDAG)},
        tijdvak={t: figure("weekdag_tijdvak", ALL, t) for t in _codes(codes.TIJDVAK)},
        weekdag_tijdvak=cross,
        kwaliteit={c: figure("kwaliteit", c) for c in KWALITEIT},
        politie_maten={
            m: _offered(publication.politie, unit, key, m)
            for m in ("meldingen", "aangiftes", "processen_verbaal")
        },
        politie_maanden=publication.politie_months(unit, key),
        actieve_boas=_offered(publication.bevoegde_boas, unit, key),
        effort=effort,
        kwartalen=[
            (q.short_label, publication.spine(unit, q.code))
            for q in quarters
            if publication.has(unit, q.code)
        ],
        slachtoffer={c: figure("slachtoffer", c) for c in (*SLACHTOFFER, "met_slachtoffer")},
        aanraking_afdoening=_touching_table(publication, unit, key),
        reeks=quarter_series(publication, unit, quarters),
    )


def _offered(get, *args) -> Shown | None:
    """A publication figure, or None where the publication does not offer that cell."""
    try:
        return get(*args)
    except KeyError:
        return None


def _touching_table(publication: Publication, unit: str, key: str):
    """Touching × outcome; its interior is offered for the whole pilot only."""
    return {
        (row, column): _offered(publication.figure, AF, unit, key, column, ALL, ALL, row)
        for row in (*AANRAKING, ALL)
        for column in (*_codes(codes.AFDOENING), ALL)
    }


def quarter_series(publication: Publication, unit: str, quarters) -> list:
    """(label, incidents, pv's) per quarter; None for a quarter outside the unit's pilot."""
    series = []
    for quarter in quarters:
        if not publication.has(unit, quarter.code):
            series.append((quarter.code, None, None))
            continue
        pv = publication.figure(AF, unit, quarter.code, PV)
        series.append((quarter.code, publication.spine(unit, quarter.code), pv))
    return series
