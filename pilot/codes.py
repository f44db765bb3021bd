"""The code lists of the pilot: stable codes with Dutch labels, in one place.

Forms, validation, the import template and the codebook are all generated from these.
A code, once published, never changes meaning; new codes are added at the end.
"""

from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    toelichting: str = ""


@dataclass(frozen=True)
class CodeList:
    name: str
    titel: str
    codes: tuple[Code, ...]

    @cached_property
    def _labels(self) -> MappingProxyType:
        # cached: validation asks for it several times per row of a 100,000-row import
        return MappingProxyType({item.code: item.label for item in self.codes})

    def labels(self) -> MappingProxyType:
        return self._labels

    def choices(self) -> list[tuple[str, str]]:
        return [(item.code, item.label) for item in self.codes]

    def label(self, code: str | None) -> str:
        return self.labels().get(code or "", code or "")

    def __contains__(self, code: object) -> bool:
        return code in self._labels


LOCATIE_TYPE = CodeList(
    "locatie_type",
    "Type locatie",
    (
        Code("straat", "Straat"),
        Code("uitgaansgebied", "Uitgaansgebied"),
        Code("horeca_terras", "Horeca / terras"),
        Code("ov_station", "OV / station"),
        Code("park", "Park"),
        Code("winkelgebied", "Winkelgebied"),
        Code("evenement", "Evenement"),
        Code("overig", "Overig"),
    ),
)

GEDRAGING = CodeList(
    "gedraging",
    "Gedraging (art. 429ter Sr)",
    (
        Code("opmerkingen", "Opmerkingen"),
        Code("gebaren", "Gebaren"),
        Code("geluiden", "Geluiden"),
        Code("aanrakingen", "Aanrakingen"),
    ),
)

KENNISNAME = CodeList(
    "kennisname",
    "Wijze van kennisname",
    (
        Code("eigen_waarneming", "Eigen waarneming"),
        Code("melding_slachtoffer", "Melding slachtoffer"),
        Code("melding_omstander", "Melding omstander"),
        Code("melding_meldpunt", "Melding via meldpunt/app"),
        Code("camera", "Camera"),
    ),
)

KLEDING = CodeList(
    "kleding",
    "Optreden in uniform of in burger",
    (
        Code("uniform", "Uniform"),
        Code("burger", "In burger"),
    ),
)

ROL_BOA = CodeList(
    "rol_boa",
    "Rol van de boa",
    (
        Code("spotter", "Spotter"),
        Code("interventie", "Heeft opgetreden"),
    ),
)

AFDOENING = CodeList(
    "afdoening",
    "Afdoening",
    (
        Code("grensgeval", "Grensgeval — geen strafbaar feit vastgesteld"),
        Code("waarschuwing", "Aanspreken / waarschuwing"),
        Code("reprimande", "Reprimande (minderjarige)"),
        Code("staandehouding", "Staandehouding met identiteitsvaststelling"),
        Code("proces_verbaal", "Proces-verbaal / strafbeschikking"),
        Code(
            "overgedragen_politie",
            "Overgedragen aan politie (ook: mogelijk aanranding)",
        ),
        Code("aanhouding", "Aanhouding"),
        Code("geen_optreden", "Geen optreden mogelijk"),
    ),
)

LEEFTIJD = CodeList(
    "leeftijd",
    "Geschatte leeftijd verdachte(n)",
    (
        Code("onder_18", "Jonger dan 18"),
        Code("18_24", "18–24 jaar"),
        Code("25_39", "25–39 jaar"),
        Code("40_plus", "40 jaar of ouder"),
        Code("gemengd", "Gemengd / meerdere leeftijden"),
        Code("onbekend", "Onbekend"),
    ),
)

# Time bands of the local hour: code, first hour, first hour after the band.
TIJDVAK_UREN: tuple[tuple[str, int, int], ...] = (
    ("dag", 7, 19),
    ("avond", 19, 24),
    ("nacht", 0, 7),
)

TIJDVAK = CodeList(
    "tijdvak",
    "Tijdvak (lokale tijd)",
    tuple(
        Code(code, f"{code.capitalize()} ({start:02d}:00–{end % 24:02d}:00)")
        for code, start, end in TIJDVAK_UREN
    ),
)

# The time band of each local hour 0..23 (a table, so batches can index it).
TIJDVAK_PER_UUR: tuple[str, ...] = tuple(
    next(code for code, start, end in TIJDVAK_UREN if start <= hour < end) for hour in range(24)
)

WEEKDAG = CodeList(
    "weekdag",
    "Dag van de week (lokale datum; 0 = maandag, zoals Python en het incidentmodel)",
    (
        Code("0", "Maandag"),
        Code("1", "Dinsdag"),
        Code("2", "Woensdag"),
        Code("3", "Donderdag"),
        Code("4", "Vrijdag"),
        Code("5", "Zaterdag"),
        Code("6", "Zondag"),
    ),
)

ALL_CODE_LISTS: tuple[CodeList, ...] = (
    LOCATIE_TYPE,
    GEDRAGING,
    KENNISNAME,
    KLEDING,
    ROL_BOA,
    AFDOENING,
    LEEFTIJD,
    TIJDVAK,
)

# Code lists of fields derived on write (never entered in a form); used by the codebook.
DERIVED_CODE_LISTS: tuple[CodeList, ...] = (WEEKDAG,)


def gedraging_bit(code: str) -> int:
    """Stable bit for a conduct code in the ``Incident.gedragingen`` bitmask."""
    return 1 << [item.code for item in GEDRAGING.codes].index(code)


def gedragingen_to_mask(codes: list[str]) -> int:
    mask = 0
    for code in codes:
        mask |= gedraging_bit(code)
    return mask


def mask_to_gedragingen(mask: int) -> list[str]:
    return [item.code for item in GEDRAGING.codes if mask & gedraging_bit(item.code)]


def tijdvak_for_hour(hour: int) -> str:
    """Time band of a local hour (``TIJDVAK_UREN``)."""
    return TIJDVAK_PER_UUR[hour]
