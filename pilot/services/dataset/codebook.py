"""The codebook of a dataset, generated from its variables and the current version of the
stored code lists (``pilot.codes``, the same lists the forms use), so it cannot drift from
them.

A variable that the protection may blank carries the documented code ``onderdrukt``
(in CSV and XLSX an empty cell, in GeoPackage NULL). After the variables come the
codebook's version number and change log (``bestand`` = ``codeboek``); the default
dataset's codebook ends with its protection: the quasi-identifiers and their levels, the
achieved k, and the values blanked per variable.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from pilot import clock, codes
from pilot.codes import Change, CodeList, CodeListRef

FIELDS = ("bestand", "variabele", "type", "codelijst", "code", "label", "omschrijving")
CODE_LISTS: tuple[CodeListRef, ...] = codes.ALL_CODE_LISTS + codes.DERIVED_CODE_LISTS
CHANGELOG = "codeboek"
TEKST = "tekst"
CODE = "tekst (code)"
GETAL = "geheel getal"
KOMMA = "kommagetal"
JANEE = "0/1"
DATUM = "datum (JJJJ-MM-DD)"
SUPPRESSED = "onderdrukt"
SUPPRESSED_LABEL = (
    "Waarde onderdrukt ter bescherming (k-anonimiteit of een onderdrukte tabelcel); "
    "in CSV en XLSX een lege cel, in GeoPackage NULL, in SPSS system-missing, in Stata '.'."
)
PROTECTION = "bescherming"


@dataclass(frozen=True)
class Variable:
    bestand: str
    naam: str
    type: str
    omschrijving: str
    codelijst: str = ""
    codes: tuple[tuple[str, str], ...] = ()
    beschermd: bool = False  # may be blanked (code 'onderdrukt')


@dataclass(frozen=True)
class CodebookRow:
    bestand: str
    variabele: str
    type: str
    codelijst: str
    code: str
    label: str
    omschrijving: str


def coded(
    bestand: str,
    naam: str,
    omschrijving: str,
    code_list: CodeList | CodeListRef,
    beschermd: bool = False,
) -> Variable:
    """A variable whose values are the codes of ``code_list`` (current codebook version)."""
    pairs = tuple((item.code, item.label) for item in code_list.codes)
    return Variable(bestand, naam, CODE, omschrijving, code_list.name, pairs, beschermd)


def identity_variables(table: str) -> list[Variable]:
    """The first columns of every incident file: random row id, gemeente, its name, tranche."""
    return [
        Variable(
            table,
            "rij_id",
            GETAL,
            "Willekeurig volgnummer, per export opnieuw getrokken; "
            "geen verband met de registratie.",
        ),
        Variable(table, "gemeente", CODE, "CBS-code van de gemeente (GM + 4 cijfers)."),
        Variable(table, "gemeente_naam", TEKST, "Naam van de gemeente."),
        Variable(table, "tranche", GETAL, "Tranche waarmee de gemeente in de pilot begon."),
    ]


def gedraging_column(code: str) -> str:
    return f"gedraging_{code}"


def gedraging_variables(
    bestand: str, gedraging: CodeList | CodeListRef = codes.GEDRAGING, beschermd: bool = False
) -> list[Variable]:
    """One 0/1 column per conduct code."""
    return [
        Variable(
            bestand,
            gedraging_column(item.code),
            JANEE,
            f"1 = gedraging ‘{item.label}’ kwam voor, 0 = niet.",
            gedraging.name,
            ((item.code, item.label),),
            beschermd,
        )
        for item in gedraging.codes
    ]


def gemeente_variables() -> list[Variable]:
    """The gemeenten of the pilot: public facts (the beheerder's register)."""
    g = "gemeenten"
    return [
        Variable(g, "gemeente", CODE, "CBS-code van de gemeente (GM + 4 cijfers)."),
        Variable(g, "gemeente_naam", TEKST, "Naam van de gemeente."),
        Variable(g, "provincie", TEKST, "Provincie."),
        Variable(g, "tranche", GETAL, "Tranche waarmee de gemeente in de pilot begon."),
        Variable(g, "pilot_start", DATUM, "Eerste dag van de pilot in de gemeente."),
        Variable(g, "pilot_eind", DATUM, "Laatste dag van de pilot (leeg = geen einddatum)."),
        Variable(g, "inwoners", GETAL, "Aantal inwoners volgens CBS (leeg = niet ingevoerd)."),
    ]


def boa_count_variables() -> list[Variable]:
    """The boa table of the default dataset: only what the publication offers."""
    b = "boas"
    return [
        Variable(b, "gemeente", CODE, "CBS-code van de gemeente."),
        Variable(
            b,
            "bevoegde_boas_pilot",
            GETAL,
            "Boa’s opgeleid en met geldig OM-mandaat op enige dag van de hele pilot, zoals "
            "gepubliceerd; leeg = onderdrukt (<k of ×). Niet per kwartaal of jaar.",
            beschermd=True,
        ),
    ]


def boa_variables() -> list[Variable]:
    """The boa table of the granted extract: one row per boa with its dates."""
    b = "boas"
    return [
        Variable(b, "gemeente", CODE, "CBS-code van de gemeente."),
        Variable(b, "boa", CODE, "Pseudoniem van de boa (geen naam of personeelsnummer)."),
        Variable(b, "opleidingsdatum", DATUM, "Datum van de opleiding (leeg = in opleiding)."),
        Variable(b, "mandaat_start", DATUM, "Eerste dag van het OM-mandaat (leeg = geen)."),
        Variable(b, "mandaat_eind", DATUM, "Laatste dag van het OM-mandaat (leeg = geen eind)."),
        Variable(b, "actief", JANEE, "1 = actief, 0 = gedeactiveerd."),
    ]


def dienst_variables() -> list[Variable]:
    """The diensten of the granted extract: one row per dienst."""
    d = "diensten"
    return [
        Variable(d, "rij_id", GETAL, "Willekeurig volgnummer, per export opnieuw getrokken."),
        Variable(d, "gemeente", CODE, "CBS-code van de gemeente."),
        Variable(d, "kwartaal", CODE, "Kwartaal van de begindatum (JJJJ-Kn)."),
        Variable(d, "datum", DATUM, "Datum waarop de dienst begon."),
        coded(d, "tijdvak", "Tijdvak van de begintijd (lokale tijd).", codes.TIJDVAK),
        coded(
            d,
            "gebiedstype",
            "Type gebied van de dienst (leeg = onbekend: vastgelegd voordat het werd gevraagd).",
            codes.GEBIEDSTYPE,
        ),
        Variable(d, "duur_minuten", GETAL, "Duur van de dienst in minuten."),
        Variable(d, "aantal_uniform", GETAL, "Aantal boa’s in uniform."),
        Variable(d, "aantal_burger", GETAL, "Aantal boa’s in burger."),
        Variable(d, "inzeturen", KOMMA, "Duur in uren × (uniform + burger)."),
        Variable(d, "synthetisch", JANEE, "1 = synthetisch record (test of demo)."),
    ]


def dienst_count_column(tijdvak: str) -> str:
    return f"diensten_{tijdvak}"


def dienst_gebied_column(gebiedstype: str | None) -> str:
    """The count column of an area type; None: the diensten whose type is unknown (a name
    no code can give, so a code ``onbekend`` added later gets its own column)."""
    return f"diensten_gebied_{gebiedstype}" if gebiedstype else "diensten_zonder_gebiedstype"


def dienst_quarter_variables() -> list[Variable]:
    """The diensten of the default dataset: per gemeente and quarter, as published."""
    d = "diensten"
    return [
        Variable(d, "gemeente", CODE, "CBS-code van de gemeente."),
        Variable(d, "kwartaal", CODE, "Afgesloten kwartaal binnen de pilotperiode (JJJJ-Kn)."),
        Variable(d, "aantal_diensten", GETAL, "Aantal diensten dat in het kwartaal begon."),
        *(
            Variable(
                d,
                dienst_count_column(item.code),
                GETAL,
                f"Aantal diensten met begintijd in tijdvak ‘{item.label}’.",
                codes.TIJDVAK.name,
            )
            for item in codes.TIJDVAK.codes
        ),
        *(
            Variable(
                d,
                dienst_gebied_column(item.code),
                GETAL,
                f"Aantal diensten in een gebied van type ‘{item.label}’.",
                codes.GEBIEDSTYPE.name,
            )
            for item in codes.GEBIEDSTYPE.codes
        ),
        Variable(
            d,
            dienst_gebied_column(None),
            GETAL,
            "Aantal diensten zonder type gebied (vastgelegd voordat het werd gevraagd).",
        ),
        Variable(d, "inzeturen", KOMMA, "Som over de diensten van duur in uren × boa’s."),
        Variable(d, "inzeturen_uniform", KOMMA, "Inzeturen van boa’s in uniform."),
        Variable(d, "inzeturen_burger", KOMMA, "Inzeturen van boa’s in burger."),
    ]


def politie_variables(beschermd: bool = False) -> list[Variable]:
    p = "politiecijfers"
    empty = "leeg = onbekend of onderdrukt" if beschermd else "leeg = onbekend"
    return [
        Variable(p, "gemeente", CODE, "CBS-code van de gemeente."),
        Variable(p, "maand", DATUM, "Eerste dag van de maand."),
        Variable(p, "meldingen", GETAL, f"Meldingen art. 429ter bij de politie ({empty}).",
                 beschermd=beschermd),
        Variable(p, "aangiftes", GETAL, f"Aangiftes art. 429ter ({empty}).", beschermd=beschermd),
        Variable(p, "processen_verbaal", GETAL, f"Pv’s art. 429ter door de politie ({empty}).",
                 beschermd=beschermd),
    ]  # fmt: skip


def codebook_rows(
    variables: Sequence[Variable],
    code_lists: Sequence[CodeList | CodeListRef] = CODE_LISTS,
    protection: Sequence[CodebookRow] = (),
    changes: Sequence[Change] | None = None,
) -> list[CodebookRow]:
    """One row per variable, or per variable and code where it has codes; a protected
    variable gets the code ``onderdrukt``. Code lists whose codes no variable lists (a
    count per code names its list but not the codes) are appended, so every code of every
    list is in the codebook. The change log (default: the current
    codebook's) follows, one row per version; the protection rows come last."""
    rows: list[CodebookRow] = []
    used: set[str] = set()
    for var in variables:
        if var.codelijst and var.codes:
            used.add(var.codelijst)
        if not var.codes:
            rows.append(CodebookRow(var.bestand, var.naam, var.type, "", "", "", var.omschrijving))
        for code, label in var.codes:
            rows.append(
                CodebookRow(var.bestand, var.naam, var.type, var.codelijst, code, label,
                            var.omschrijving)
            )  # fmt: skip
        if var.beschermd:
            rows.append(
                CodebookRow(var.bestand, var.naam, var.type, "", SUPPRESSED, SUPPRESSED_LABEL,
                            var.omschrijving)
            )  # fmt: skip
    for code_list in code_lists:
        if code_list.name in used:
            continue
        for item in code_list.codes:
            rows.append(
                CodebookRow("codelijsten", code_list.name, CODE, code_list.name, item.code,
                            item.label, code_list.titel)
            )  # fmt: skip
    log = changelog_rows(codes.current().changes if changes is None else changes)
    return [*rows, *log, *protection]


def changelog_rows(changes: Sequence[Change]) -> list[CodebookRow]:
    """The change log as codebook rows: version number, date, changed list, what changed."""
    return [
        CodebookRow(
            CHANGELOG,
            "versie",
            GETAL,
            change.codelijst or "",
            str(change.versie),
            f"{change.tijdstip.astimezone(clock.AMSTERDAM):%Y-%m-%d}" if change.tijdstip else "",
            change.wijziging,
        )
        for change in changes
    ]
