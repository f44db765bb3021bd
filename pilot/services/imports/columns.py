"""The columns of an incident file: names, explanation and how code values are read.

The template, the instruction sheet and the parser are all generated from ``COLUMNS``, so
a column is described once. Code columns accept the stable code (what the drop-down in
the template shows) or the Dutch label from the current codebook (``pilot.codes``),
case-insensitive.
"""

from dataclasses import dataclass
from functools import lru_cache

from pilot import codes
from pilot.codes import CodeList, CodeListRef
from pilot.services import pii
from pilot.services.incidenten import MAX_COUNT, MAX_OPMERKING
from pilot.templating import getal

# Where RD New coordinates of the Netherlands lie (metres); how the import recognises them.
RD_X_RANGE = (0, 300_000)
RD_Y_RANGE = (300_000, 625_000)
RD_RANGES = (
    f"x {getal(RD_X_RANGE[0])}–{getal(RD_X_RANGE[1])}, "
    f"y {getal(RD_Y_RANGE[0])}–{getal(RD_Y_RANGE[1])}"
)


@dataclass(frozen=True)
class Column:
    name: str
    verplicht: bool
    formaat: str
    toelichting: str
    voorbeeld: str = ""
    code_list: CodeListRef | None = None


COLUMNS: tuple[Column, ...] = (
    Column(
        "datum",
        True,
        "dd-mm-jjjj of jjjj-mm-dd, of een Excel-datum",
        "Datum van het incident (Nederlandse tijd).",
        "12-09-2025",
    ),
    Column("tijd", True, "uu:mm", "Tijdstip van het incident (Nederlandse tijd).", "21:30"),
    Column(
        "breedtegraad",
        True,
        "decimaal getal (punt of komma)",
        "Breedtegraad (WGS84, zoals op een kaart of telefoon). In plaats van breedte- en "
        f"lengtegraad mogen ook RD-coördinaten ({RD_RANGES}) worden "
        "ingevuld: die worden herkend aan hun grootte en omgerekend.",
        "51.9225",
    ),
    Column("lengtegraad", True, "decimaal getal (punt of komma)", "Lengtegraad (WGS84).", "4.4792"),
    Column(
        "boa_code",
        True,
        "tekst",
        "De pseudonieme code van de boa zoals in deze applicatie geregistreerd "
        "(nooit een naam of personeelsnummer).",
        "BOA-0599-K7QX",
    ),
    Column("locatie_type", True, "code", "Type locatie.", "straat", codes.LOCATIE_TYPE),
    Column(
        "gedragingen",
        True,
        "één of meer codes, gescheiden door komma's",
        "Gedraging(en) onder art. 429ter Sr.",
        "opmerkingen,gebaren",
        codes.GEDRAGING,
    ),
    Column(
        "kennisname",
        True,
        "code",
        "Hoe het incident bekend werd.",
        "eigen_waarneming",
        codes.KENNISNAME,
    ),
    Column("kleding", True, "code", "Optreden in uniform of in burger.", "uniform", codes.KLEDING),
    Column("rol_boa", True, "code", "Rol van de boa.", "interventie", codes.ROL_BOA),
    Column("afdoening", True, "code", "Afdoening.", "waarschuwing", codes.AFDOENING),
    Column("aantal_verdachten", True, f"geheel getal 0–{MAX_COUNT}", "Aantal verdachten.", "1"),
    Column(
        "leeftijd_verdachten",
        True,
        "code",
        "Geschatte leeftijd van de verdachte(n).",
        "18_24",
        codes.LEEFTIJD,
    ),
    Column("aantal_slachtoffers", True, f"geheel getal 0–{MAX_COUNT}", "Aantal slachtoffers.", "1"),
    Column(
        "slachtofferhulp",
        False,
        "ja of nee (leeg = nee)",
        "Is het slachtoffer doorverwezen naar Slachtofferhulp?",
        "nee",
    ),
    Column(
        "zaaknummer",
        False,
        "tekst",
        "Nummer uit een ander systeem (PV-, BVH- of zaaknummer). Wordt alleen versleuteld "
        "(als sleutel-hash) opgeslagen en dient om dubbele invoer te herkennen.",
        "PV-2025-001234",
    ),
    Column(
        "opmerking",
        False,
        f"tekst, hoogstens {MAX_OPMERKING} tekens",
        f"Korte toelichting. Geen {pii.NOT_STORED}: een rij daarmee wordt geweigerd.",
        "",
    ),
)

RD_COLUMNS: tuple[Column, ...] = (
    Column(
        "rd_x",
        False,
        "getal in meters",
        "RD-x (Rijksdriehoek), alleen als breedtegraad en lengtegraad ontbreken.",
        "92750",
    ),
    Column("rd_y", False, "getal in meters", "RD-y (Rijksdriehoek).", "437250"),
)

ALL_COLUMNS = COLUMNS + RD_COLUMNS
REQUIRED = tuple(
    c.name for c in COLUMNS if c.verplicht and c.name not in {"breedtegraad", "lengtegraad"}
)
LOCATION_ALTERNATIVES = (("breedtegraad", "lengtegraad"), ("rd_x", "rd_y"))

ALIASES = {
    "lat": "breedtegraad",
    "latitude": "breedtegraad",
    "lon": "lengtegraad",
    "lng": "lengtegraad",
    "longitude": "lengtegraad",
    "boa": "boa_code",
    "boacode": "boa_code",
    "x": "rd_x",
    "y": "rd_y",
    "gedraging": "gedragingen",
}

BOOLEANS = {
    "ja": True,
    "j": True,
    "1": True,
    "waar": True,
    "true": True,
    "nee": False,
    "n": False,
    "0": False,
    "onwaar": False,
    "false": False,
}


def normalise_header(value: object) -> str:
    """'Boa code ' and 'BOA-code' both become 'boa_code'; known aliases map to our names."""
    text = str(value or "").strip().lower().replace("-", "_").replace(" ", "_")
    return ALIASES.get(text, text)


def code_lookup(code_list: CodeList | CodeListRef) -> dict[str, str]:
    """Lower-case code or label -> code, for the current version of the list."""
    return _lookup(code_list.resolve())


@lru_cache(maxsize=64)
def _lookup(code_list: CodeList) -> dict[str, str]:
    lookup = {}
    for item in code_list.codes:
        lookup[item.label.lower()] = item.code
        lookup[item.code.lower()] = item.code
    return lookup
