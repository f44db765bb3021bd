"""The code lists of the pilot: stable codes with Dutch labels, stored in the database.

The beheerder keeps them (``pilot.services.codelists``): a label can be corrected and a
code added at the end; a code is never removed or given another meaning. Every change is
a new version of the codebook. Forms, validation, the import template, the codebook, the
dataset and the reports all read the lists through this module, so they follow a change
without a code change.

Two ways to read them:

- ``current()``: the whole codebook (version, lists, change log) as immutable objects,
  loaded once per request (one ``max(versie)`` query) and cached per version in the
  process. Loops over many rows take a list from it once.
- The module constants (``LOCATIE_TYPE``, ``AFDOENING``, …) are ``CodeListRef`` handles
  that resolve to the current version on every use, so code written against the constants
  (``codes.AFDOENING.choices()``) follows the store. Do not evaluate them at import time.

Outside an application context (pure functions, tests without a database), and while the
store is still empty, the lists are ``BUILTIN_BOOK``: the seeded version 1 below (``SEED``),
which the migration that created the store wrote as version 1, plus the lists added later
(``ADDED``), each written by its own migration as the next version.
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, cached_property
from types import MappingProxyType

from flask import g, has_app_context
from sqlalchemy import select


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    toelichting: str = ""
    sinds_versie: int = 1


@dataclass(frozen=True)
class CodeList:
    name: str
    titel: str
    codes: tuple[Code, ...]
    uitbreidbaar: bool = True

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

    @cached_property
    def _bits(self) -> MappingProxyType:
        return MappingProxyType({item.code: 1 << i for i, item in enumerate(self.codes)})

    def bit(self, code: str) -> int:
        """The code's bit in a bit mask over this list (its position, so stable)."""
        return self._bits[code]

    def resolve(self) -> "CodeList":
        return self


_LOCATIE_TYPE = CodeList(
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

_GEDRAGING = CodeList(
    "gedraging",
    "Gedraging (art. 429ter Sr)",
    (
        Code("opmerkingen", "Opmerkingen"),
        Code("gebaren", "Gebaren"),
        Code("geluiden", "Geluiden"),
        Code("aanrakingen", "Aanrakingen"),
    ),
)

_KENNISNAME = CodeList(
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

_KLEDING = CodeList(
    "kleding",
    "Optreden in uniform of in burger",
    (
        Code("uniform", "Uniform"),
        Code("burger", "In burger"),
    ),
)

_ROL_BOA = CodeList(
    "rol_boa",
    "Rol van de boa",
    (
        Code("spotter", "Spotter"),
        Code("interventie", "Heeft opgetreden"),
    ),
)

_AFDOENING = CodeList(
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

_LEEFTIJD = CodeList(
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

_TIJDVAK = CodeList(
    "tijdvak",
    "Tijdvak (lokale tijd)",
    tuple(
        Code(code, f"{code.capitalize()} ({start:02d}:00–{end % 24:02d}:00)")
        for code, start, end in TIJDVAK_UREN
    ),
    uitbreidbaar=False,
)

# The time band of each local hour 0..23 (a table, so batches can index it).
TIJDVAK_PER_UUR: tuple[str, ...] = tuple(
    next(code for code, start, end in TIJDVAK_UREN if start <= hour < end) for hour in range(24)
)

_WEEKDAG = CodeList(
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
    uitbreidbaar=False,
)

# Version 1 of the codebook, in codebook order. Never edit: later versions live in the store.
SEED: tuple[CodeList, ...] = (
    _LOCATIE_TYPE,
    _GEDRAGING,
    _KENNISNAME,
    _KLEDING,
    _ROL_BOA,
    _AFDOENING,
    _LEEFTIJD,
    _TIJDVAK,
    _WEEKDAG,
)


_GEBIEDSTYPE = CodeList(
    "gebiedstype",
    "Type gebied",
    (
        Code("uitgaansgebied", "Uitgaansgebied"),
        Code("winkelgebied", "Winkelgebied"),
        Code("ov_station", "OV / station"),
        Code("park", "Park"),
        Code("evenement", "Evenement"),
        Code("woonwijk", "Woonwijk"),
        Code("centrum_overig", "Centrum (overig)"),
        Code("overig", "Overig"),
    ),
)


@dataclass(frozen=True)
class AddedList:
    """A code list added after version 1: its migration writes it as the next version."""

    code_list: CodeList
    wijziging: str


# Lists added after version 1, in the order of their migrations. Never edit an entry (its
# migration reads it); later changes to the lists live in the store.
ADDED: tuple[AddedList, ...] = (
    AddedList(
        _GEBIEDSTYPE,
        "Codelijst ‘Type gebied’ (gebiedstype) toegevoegd: het soort gebied van een dienst.",
    ),
)


@dataclass(frozen=True)
class Change:
    """One entry of the change log: the version it made and what it changed."""

    versie: int
    tijdstip: datetime | None
    actor: str
    wijziging: str
    codelijst: str | None = None


@dataclass(frozen=True)
class Codebook:
    """One version of every code list, with the change log up to that version."""

    versie: int
    lists: Mapping[str, CodeList]
    changes: tuple[Change, ...] = field(default=())

    def __getitem__(self, name: str) -> CodeList:
        return self.lists[name]

    def __iter__(self) -> Iterator[CodeList]:
        return iter(self.lists.values())


SEED_BOOK = Codebook(
    1,
    MappingProxyType({code_list.name: code_list for code_list in SEED}),
    (Change(1, None, "systeem", "Eerste versie van het codeboek."),),
)


def _builtin_book() -> Codebook:
    """Version 1 plus the added lists, as the migrations write them on an empty database."""
    lists = dict(SEED_BOOK.lists)
    changes = list(SEED_BOOK.changes)
    for versie, added in enumerate(ADDED, start=SEED_BOOK.versie + 1):
        lists[added.code_list.name] = CodeList(
            added.code_list.name,
            added.code_list.titel,
            tuple(Code(c.code, c.label, c.toelichting, versie) for c in added.code_list.codes),
            added.code_list.uitbreidbaar,
        )
        changes.append(Change(versie, None, "systeem", added.wijziging, added.code_list.name))
    return Codebook(SEED_BOOK.versie + len(ADDED), MappingProxyType(lists), tuple(changes))


BUILTIN_BOOK = _builtin_book()
_books: dict[tuple, Codebook] = {}  # per process; a stored version never changes


def current() -> Codebook:
    """The current codebook: per request one version query, cached per version."""
    if not has_app_context():
        return BUILTIN_BOOK
    book = g.get("_codeboek")
    if book is None:
        book = _load()
        g._codeboek = book
    return book


def forget_current() -> None:
    """After a change in this context: the next ``current()`` reads the store again."""
    if has_app_context():
        g.pop("_codeboek", None)


@cache
def _latest_version():
    """The query of ``_load`` (every request runs it), built once."""
    from pilot.models import CodeboekVersie

    table = CodeboekVersie.__table__
    return (
        select(table.c.versie, table.c.tijdstip, table.c.codelijst, table.c.wijziging)
        .order_by(table.c.versie.desc())
        .limit(1)
    )


def _load() -> Codebook:
    from pilot.extensions import db
    from pilot.models import CodeboekVersie, Codelijst, CodelijstCode

    latest = db.session.execute(_latest_version()).first()
    if latest is None:
        return BUILTIN_BOOK
    versie = latest.versie
    # A database restored or emptied may reuse a version number: its moment and change tell
    # them apart (under a frozen clock, as in the tests, the moment alone does not).
    key = (str(db.engine.url), *latest)
    if key in _books:
        return _books[key]
    rows = db.session.execute(
        db.select(Codelijst, CodelijstCode)
        .join(CodelijstCode, CodelijstCode.codelijst == Codelijst.naam)
        .order_by(Codelijst.positie, CodelijstCode.positie)
    ).all()
    grouped: dict[str, tuple[Codelijst, list[Code]]] = {}
    for lijst, item in rows:
        entry = grouped.setdefault(lijst.naam, (lijst, []))
        entry[1].append(Code(item.code, item.label, sinds_versie=item.sinds_versie))
    changes = db.session.execute(
        db.select(CodeboekVersie).order_by(CodeboekVersie.versie)
    ).scalars()
    book = Codebook(
        versie,
        MappingProxyType(
            {
                naam: CodeList(naam, lijst.titel, tuple(items), lijst.uitbreidbaar)
                for naam, (lijst, items) in grouped.items()
            }
        ),
        tuple(Change(c.versie, c.tijdstip, c.actor, c.wijziging, c.codelijst) for c in changes),
    )
    _books[key] = book
    return book


class CodeListRef:
    """A code list by name that resolves to the current version of the codebook on use."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def resolve(self) -> CodeList:
        return current()[self.name]

    @property
    def titel(self) -> str:
        return self.resolve().titel

    @property
    def codes(self) -> tuple[Code, ...]:
        return self.resolve().codes

    @property
    def uitbreidbaar(self) -> bool:
        return self.resolve().uitbreidbaar

    def labels(self) -> MappingProxyType:
        return self.resolve().labels()

    def choices(self) -> list[tuple[str, str]]:
        return self.resolve().choices()

    def label(self, code: str | None) -> str:
        return self.resolve().label(code)

    def __contains__(self, code: object) -> bool:
        return code in self.resolve()

    def __repr__(self) -> str:
        return f"<CodeListRef {self.name}>"


# The handles every caller uses; each follows the store (see the module docstring).
LOCATIE_TYPE = CodeListRef(_LOCATIE_TYPE.name)
GEDRAGING = CodeListRef(_GEDRAGING.name)
KENNISNAME = CodeListRef(_KENNISNAME.name)
KLEDING = CodeListRef(_KLEDING.name)
ROL_BOA = CodeListRef(_ROL_BOA.name)
AFDOENING = CodeListRef(_AFDOENING.name)
LEEFTIJD = CodeListRef(_LEEFTIJD.name)
TIJDVAK = CodeListRef(_TIJDVAK.name)
WEEKDAG = CodeListRef(_WEEKDAG.name)
GEBIEDSTYPE = CodeListRef(_GEBIEDSTYPE.name)

ALL_CODE_LISTS: tuple[CodeListRef, ...] = (
    LOCATIE_TYPE,
    GEDRAGING,
    KENNISNAME,
    KLEDING,
    ROL_BOA,
    AFDOENING,
    LEEFTIJD,
    TIJDVAK,
    GEBIEDSTYPE,
)

# Code lists of fields derived on write (never entered in a form); used by the codebook.
DERIVED_CODE_LISTS: tuple[CodeListRef, ...] = (WEEKDAG,)


def gedraging_bit(code: str) -> int:
    """Stable bit for a conduct code in the ``Incident.gedragingen`` bitmask: its position
    (codes are only added at the end, so a code keeps its bit in every version)."""
    return GEDRAGING.resolve().bit(code)


def gedragingen_to_mask(codes: list[str]) -> int:
    gedraging = GEDRAGING.resolve()
    mask = 0
    for code in codes:
        mask |= gedraging.bit(code)
    return mask


def mask_to_gedragingen(mask: int) -> list[str]:
    gedraging = GEDRAGING.resolve()
    return [item.code for item in gedraging.codes if mask & gedraging.bit(item.code)]


def tijdvak_for_hour(hour: int) -> str:
    """Time band of a local hour (``TIJDVAK_UREN``)."""
    return TIJDVAK_PER_UUR[hour]
