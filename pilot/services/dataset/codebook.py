"""The codebook of the evaluation dataset, generated from the variable list below and the
code lists in ``pilot.codes`` (the same lists the forms use), so it cannot drift from them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from pilot import codes
from pilot.codes import CodeList
from pilot.services.reports.figures import LATE_REGISTRATION


@dataclass(frozen=True)
class Variable:
    bestand: str
    naam: str
    type: str
    omschrijving: str
    codelijst: str | None = None


@dataclass(frozen=True)
class CodebookRow:
    bestand: str
    variabele: str
    type: str
    codelijst: str
    code: str
    label: str
    omschrijving: str


FIELDS = ("bestand", "variabele", "type", "codelijst", "code", "label", "omschrijving")
CODE_LISTS: tuple[CodeList, ...] = codes.ALL_CODE_LISTS + codes.DERIVED_CODE_LISTS
TEKST = "tekst"
CODE = "tekst (code)"
GETAL = "geheel getal"
KOMMA = "kommagetal"
JANEE = "0/1"
DATUM = "datum (JJJJ-MM-DD)"


def gedraging_column(code: str) -> str:
    return f"gedraging_{code}"


def incident_variables(gedraging: CodeList = codes.GEDRAGING) -> list[Variable]:
    """The columns of ``incidenten``, in file order; one 0/1 column per conduct code."""
    i = "incidenten"
    return [
        Variable(i, "incident_id", GETAL, "Volgnummer van het incident in de registratie."),
        Variable(i, "gemeente", CODE, "CBS-code van de gemeente (GM + 4 cijfers)."),
        Variable(i, "gemeente_naam", TEKST, "Naam van de gemeente."),
        Variable(i, "tranche", GETAL, "Tranche waarmee de gemeente in de pilot begon."),
        Variable(i, "boa", CODE, "Pseudoniem van de boa (geen naam of personeelsnummer)."),
        Variable(i, "datum", DATUM, "Lokale datum van het incident (Europe/Amsterdam)."),
        Variable(i, "weekdag", GETAL, "Dag van de week van de lokale datum.", "weekdag"),
        Variable(i, "tijdvak", CODE, "Tijdvak van het lokale tijdstip.", "tijdvak"),
        Variable(i, "cel_x", GETAL, "RD New x (m) van de linkeronderhoek van de 100 m-cel."),
        Variable(i, "cel_y", GETAL, "RD New y (m) van de linkeronderhoek van de 100 m-cel."),
        Variable(i, "cel_lat", KOMMA, "WGS84-breedte van het midden van de 100 m-cel."),
        Variable(i, "cel_lon", KOMMA, "WGS84-lengte van het midden van de 100 m-cel."),
        Variable(i, "locatie_type", CODE, "Type locatie.", "locatie_type"),
        *(
            Variable(
                i,
                gedraging_column(item.code),
                JANEE,
                f"1 = gedraging ‘{item.label}’ kwam voor, 0 = niet.",
                gedraging.name,
            )
            for item in gedraging.codes
        ),
        Variable(i, "kennisname", CODE, "Wijze van kennisname.", "kennisname"),
        Variable(i, "kleding", CODE, "Optreden in uniform of in burger.", "kleding"),
        Variable(i, "rol_boa", CODE, "Rol van de boa.", "rol_boa"),
        Variable(i, "afdoening", CODE, "Afdoening.", "afdoening"),
        Variable(i, "aantal_verdachten", GETAL, "Aantal verdachten."),
        Variable(i, "leeftijd_verdachten", CODE, "Geschatte leeftijd verdachte(n).", "leeftijd"),
        Variable(i, "aantal_slachtoffers", GETAL, "Aantal slachtoffers."),
        Variable(i, "slachtofferhulp", JANEE, "1 = slachtoffer doorverwezen naar slachtofferhulp."),
        Variable(
            i,
            "registratie_vertraging_dagen",
            GETAL,
            "Hele dagen tussen het incident en de registratie "
            f"(meer dan {LATE_REGISTRATION.days} = laat geregistreerd).",
        ),  # fmt: skip
        Variable(
            i, "synthetisch", JANEE, "1 = synthetisch record (test of demo), geen echt incident."
        ),
    ]


DIENST_VARIABLES = [
    Variable("diensten", "dienst_id", GETAL, "Volgnummer van de dienst."),
    Variable("diensten", "gemeente", CODE, "CBS-code van de gemeente."),
    Variable("diensten", "datum", DATUM, "Datum waarop de dienst begon."),
    Variable("diensten", "duur_minuten", GETAL, "Duur van de dienst in minuten."),
    Variable("diensten", "aantal_uniform", GETAL, "Aantal boa’s in uniform."),
    Variable("diensten", "aantal_burger", GETAL, "Aantal boa’s in burger."),
    Variable("diensten", "inzeturen", KOMMA, "Duur in uren × (uniform + burger)."),
    Variable("diensten", "synthetisch", JANEE, "1 = synthetisch record (test of demo)."),
]

P = "politiecijfers"
POLITIE_VARIABLES = [
    Variable(P, "gemeente", CODE, "CBS-code van de gemeente."),
    Variable(P, "maand", DATUM, "Eerste dag van de maand."),
    Variable(P, "meldingen", GETAL, "Meldingen art. 429ter bij de politie (leeg = onbekend)."),
    Variable(P, "aangiftes", GETAL, "Aangiftes art. 429ter (leeg = onbekend)."),
    Variable(P, "processen_verbaal", GETAL, "Pv’s art. 429ter door de politie (leeg = onbekend)."),
]


def variables(code_lists: Sequence[CodeList] = CODE_LISTS) -> list[Variable]:
    gedraging = next(cl for cl in code_lists if cl.name == codes.GEDRAGING.name)
    return [*incident_variables(gedraging), *DIENST_VARIABLES, *POLITIE_VARIABLES]


def codebook_rows(code_lists: Sequence[CodeList] = CODE_LISTS) -> list[CodebookRow]:
    """One row per variable, or per variable and code where the variable has a code list.

    A conduct column (``gedraging_<code>``) carries its own conduct code. Code lists that
    no variable uses are appended, so every code of every list is in the codebook.
    """
    lists = {code_list.name: code_list for code_list in code_lists}
    rows: list[CodebookRow] = []
    used: set[str] = set()
    for var in variables(code_lists):
        code_list = lists.get(var.codelijst or "")
        if code_list is None:
            rows.append(CodebookRow(var.bestand, var.naam, var.type, "", "", "", var.omschrijving))
            continue
        used.add(code_list.name)
        items = code_list.codes
        if var.naam.startswith("gedraging_"):
            items = tuple(c for c in items if gedraging_column(c.code) == var.naam)
        for item in items:
            rows.append(
                CodebookRow(
                    var.bestand, var.naam, var.type, code_list.name, item.code, item.label,
                    var.omschrijving,
                )
            )  # fmt: skip
    for code_list in code_lists:
        if code_list.name in used:
            continue
        for item in code_list.codes:
            rows.append(
                CodebookRow("codelijsten", code_list.name, CODE, code_list.name, item.code,
                            item.label, code_list.titel)
            )  # fmt: skip
    return rows
