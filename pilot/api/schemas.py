"""The shapes of the API: pydantic models that validate requests and describe responses.

They check shape only (types, lengths, ranges); every domain rule stays in the services
(``pilot.services.incidenten`` and friends), which the web form and the import use too.
Code fields are plain strings here: the code lists can change without a code change, so
they are checked by the service against ``pilot.codes`` and listed by ``/codelijsten``.
spectree turns these models into the OpenAPI 3.1 document (JSON Schema 2020-12).
"""

from datetime import date, datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt
from pydantic.json_schema import SkipJsonSchema

from pilot.services import diensten, politiecijfers
from pilot.services.api.batches import MAX_BATCH
from pilot.services.api.cursor import DEFAULT_LIMIT, MAX_LIMIT
from pilot.services.incidenten import MAX_COUNT, MAX_OPMERKING, MAX_REDEN

CODE = Annotated[str, Field(min_length=1, max_length=30, description="Een code uit de codelijst.")]
TIJD = Annotated[
    str,
    Field(
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="Lokale tijd (Europe/Amsterdam) als uu:mm.",
        examples=["22:00"],
    ),
]
CBS = r"^GM[0-9]{4}$"


class Schema(BaseModel):
    """Every model here: its validator is built when first used, not at import (``defer_build``).

    Building them all took a tenth of creating the app (issue 16), for every CLI command and
    test process; a request builds only the few models of its view, once per process.
    """

    model_config = ConfigDict(defer_build=True)


class Input(Schema):
    """A request body: unknown fields are refused, so a misspelt field is never lost."""

    model_config = ConfigDict(extra="forbid")


# --- incidents -------------------------------------------------------------------------


class Locatie(Schema):
    model_config = ConfigDict(extra="forbid")

    lat: float = Field(ge=-90, le=90, description="Breedtegraad (WGS84).", examples=[51.9225])
    lon: float = Field(ge=-180, le=180, description="Lengtegraad (WGS84).", examples=[4.4792])


class IncidentIn(Input):
    """One incident as a gemeente's system sends it (the same fields as the web form)."""

    tijdstip: AwareDatetime = Field(
        description="Datum en tijd met tijdzone (ISO 8601).",
        examples=["2025-09-12T21:30:00+02:00"],
    )
    locatie: Locatie
    boa_code: str = Field(
        min_length=1,
        max_length=20,
        description="De pseudonieme code van de boa (zie GET …/boas).",
        examples=["BOA-0599-K7QX"],
    )
    locatie_type: CODE = Field(examples=["uitgaansgebied"])
    gedragingen: list[CODE] = Field(min_length=1, max_length=10, examples=[["opmerkingen"]])
    kennisname: CODE = Field(examples=["eigen_waarneming"])
    kleding: CODE = Field(examples=["uniform"])
    rol_boa: CODE = Field(examples=["interventie"])
    afdoening: CODE = Field(examples=["waarschuwing"])
    aantal_verdachten: StrictInt = Field(default=1, ge=0, le=MAX_COUNT)
    leeftijd_verdachten: CODE = Field(default="onbekend", examples=["18_24"])
    aantal_slachtoffers: StrictInt = Field(default=1, ge=0, le=MAX_COUNT)
    slachtofferhulp: StrictBool = False
    zaaknummer: str | None = Field(
        default=None,
        max_length=50,
        description="PV-, BVH- of ander zaaknummer: alleen als sleutelhash opgeslagen, "
        "nooit teruggegeven. Leeg bij wijzigen: het opgeslagen nummer blijft.",
    )
    opmerking: str | None = Field(
        default=None,
        max_length=MAX_OPMERKING,
        description="Vrije tekst zonder persoonsgegevens (wordt gecontroleerd).",
    )


class IncidentBatchIn(Input):
    incidenten: list[IncidentIn] = Field(min_length=1, max_length=MAX_BATCH)


class IntrekkenIn(Input):
    reden: str = Field(min_length=1, max_length=MAX_REDEN, examples=["Dubbel geregistreerd."])


class IncidentOut(Schema):
    id: int
    version: int = Field(description="Versie; stuur deze mee in If-Match bij wijzigen.")
    tijdstip: datetime
    lokale_datum: date
    weekdag: int = Field(description="0 = maandag.")
    tijdvak: str
    locatie: Locatie
    boa_code: str
    locatie_type: str
    gedragingen: list[str]
    kennisname: str
    kleding: str
    rol_boa: str
    afdoening: str
    aantal_verdachten: int
    leeftijd_verdachten: str
    aantal_slachtoffers: int
    slachtofferhulp: bool
    heeft_zaaknummer: bool
    opmerking: str | None
    grens_gecontroleerd: bool
    synthetisch: bool
    ingetrokken: bool
    ingetrokken_op: datetime | None
    intrek_reden: str | None
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class IncidentList(Schema):
    incidenten: list[IncidentOut]
    volgende: str | None = Field(description="Cursor van de volgende pagina (null: laatste).")


class BatchItemOut(Schema):
    id: int
    version: int


class BatchOut(Schema):
    aantal: int
    incidenten: list[BatchItemOut] = Field(description="In de volgorde van het verzoek.")


class IncidentenQuery(Schema):
    van: date | SkipJsonSchema[None] = Field(default=None, description="Vanaf deze lokale datum.")
    tot: date | SkipJsonSchema[None] = Field(default=None, description="Tot en met deze datum.")
    boa_code: str | SkipJsonSchema[None] = Field(default=None, max_length=20)
    gedraging: str | SkipJsonSchema[None] = Field(default=None, max_length=30)
    afdoening: str | SkipJsonSchema[None] = Field(default=None, max_length=30)
    locatie_type: str | SkipJsonSchema[None] = Field(default=None, max_length=30)
    met_ingetrokken: bool = Field(default=False, description="Ook ingetrokken incidenten.")
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | SkipJsonSchema[None] = Field(default=None, max_length=500)


class IfMatchHeaders(Schema):
    if_match: str | SkipJsonSchema[None] = Field(
        default=None,
        alias="If-Match",
        max_length=100,
        description='De versie die u wijzigt, als ETag ("3").',
    )


class IdempotencyHeaders(Schema):
    idempotency_key: str | SkipJsonSchema[None] = Field(
        default=None,
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Verplicht: een unieke sleutel per batch (bijvoorbeeld een UUID). "
        "Hetzelfde verzoek met dezelfde sleutel geeft het eerste antwoord opnieuw.",
    )


# --- boa's, diensten, police figures -----------------------------------------------------


class BoaIn(Input):
    opleidingsdatum: date | None = None
    mandaat_start: date | None = None
    mandaat_eind: date | None = None
    personeelsnummer: str | None = Field(
        default=None,
        max_length=30,
        description="Eigen personeelsnummer: alleen als sleutelhash opgeslagen.",
    )


class BoaOut(Schema):
    id: int
    code: str
    actief: bool
    opleidingsdatum: date | None
    mandaat_start: date | None
    mandaat_eind: date | None
    aangemaakt_op: datetime


class BoaList(Schema):
    boas: list[BoaOut]


class DienstIn(Input):
    datum: date
    begintijd: TIJD
    eindtijd: TIJD = Field(description="Vóór of gelijk aan de begintijd: na middernacht.")
    gebied: str = Field(min_length=1, max_length=diensten.MAX_GEBIED)
    gebiedstype: CODE = Field(
        description="Type gebied: een code uit de codelijst gebiedstype (zie /codelijsten).",
        examples=["uitgaansgebied"],
    )
    aantal_uniform: StrictInt = Field(default=0, ge=0, le=diensten.MAX_AANTAL)
    aantal_burger: StrictInt = Field(default=0, ge=0, le=diensten.MAX_AANTAL)


class DienstOut(Schema):
    id: int
    version: int
    datum: date
    begintijd: str
    eindtijd: str
    duur_minuten: int
    gebied: str
    gebiedstype: str | None = Field(
        description="Code uit de codelijst gebiedstype; null: onbekend (dienst vastgelegd "
        "voordat het type gebied werd gevraagd)."
    )
    aantal_uniform: int
    aantal_burger: int
    inzeturen: float
    aangemaakt_op: datetime


class DienstList(Schema):
    diensten: list[DienstOut]
    volgende: str | None


class DienstenQuery(Schema):
    van: date | SkipJsonSchema[None] = None
    tot: date | SkipJsonSchema[None] = None
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | SkipJsonSchema[None] = Field(default=None, max_length=500)


AANTAL = Field(default=None, ge=0, le=politiecijfers.MAX_AANTAL)


class PolitieIn(Input):
    meldingen: StrictInt | None = AANTAL
    aangiftes: StrictInt | None = AANTAL
    processen_verbaal: StrictInt | None = AANTAL


class PolitieOut(Schema):
    maand: str = Field(examples=["2025-09"])
    meldingen: int | None
    aangiftes: int | None
    processen_verbaal: int | None


class PolitieList(Schema):
    politiecijfers: list[PolitieOut]


# --- code lists and the outsider publication ---------------------------------------------


class CodeOut(Schema):
    code: str
    label: str
    toelichting: str


class CodelijstOut(Schema):
    naam: str
    titel: str
    codes: list[CodeOut]


class CodelijstenOut(Schema):
    codelijsten: list[CodelijstOut]


class PeriodeOut(Schema):
    sleutel: str = Field(description='"P" (hele pilot), een jaar ("2025") of kwartaal.')
    soort: str = Field(description="Q (kwartaal), Y (jaar) of P (pilot).")
    van: date
    tot: date
    label: str


class PeriodenOut(Schema):
    perioden: list[PeriodeOut]
    kwartalen_hotspots: list[str] = Field(description="Kwartalen met hotspotcellen.")


class CijferOut(Schema):
    tabel: str
    eenheid: str = Field(description='CBS-code, tranche ("T1") of "NL".')
    periode: str
    codes: str = Field(
        description="Elke code-as met haar code, bijvoorbeeld afdoening=proces_verbaal|kleding=ALL "
        "(ALL: het totaal over die as).",
    )
    weergave: str = Field(description='Zoals in de rapporten: een getal, "<5", "×" of "—".')
    aantal: int | None = Field(description="Alleen als het getal getoond mag worden.")
    status: str = Field(description="exact, klein (<k), beschermd (×) of niet_getoond (—).")


class CijfersQuery(Schema):
    tabel: str | SkipJsonSchema[None] = Field(default=None, max_length=40)
    eenheid: str | SkipJsonSchema[None] = Field(default=None, max_length=10)
    periode: str | SkipJsonSchema[None] = Field(default=None, max_length=10)
    limit: int = Field(default=1000, ge=1, le=5000)
    cursor: str | SkipJsonSchema[None] = Field(default=None, max_length=500)


class CijfersOut(Schema):
    k: int = Field(description="Drempel: aantallen van 1 tot k-1 worden niet getoond.")
    cijfers: list[CijferOut]
    volgende: str | None


class HotspotsQuery(Schema):
    kwartaal: str = Field(pattern=r"^[0-9]{4}-K[1-4]$", examples=["2025-K3"])
    gemeente: str | SkipJsonSchema[None] = Field(default=None, pattern=CBS)


class HotspotCelOut(Schema):
    gemeente: str
    x_rd: int = Field(description="Zuidwesthoek in RD New (EPSG:28992), meters.")
    y_rd: int
    aantal: int
    gi_klasse: str


class HotspotsOut(Schema):
    kwartaal: str
    celgrootte_m: int
    k: int
    cellen: list[HotspotCelOut] = Field(
        description="Alleen cellen waarvan het aantal getoond mag worden."
    )


# --- errors -----------------------------------------------------------------------------


class ProblemItem(Schema):
    detail: str
    pointer: str | None = Field(default=None, description="JSON-pointer in de body.")
    parameter: str | None = None
    header: str | None = None


class ProblemOut(Schema):
    """An RFC 9457 problem (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ProblemItem] | None = None
    huidige_versie: int | None = Field(default=None, description="Bij 412: de huidige versie.")


def build_validators() -> None:
    """Build every model's validator now: a serving process, before its first request."""
    pending = [Schema]
    while pending:
        model = pending.pop()
        pending.extend(model.__subclasses__())
        model.model_rebuild()
