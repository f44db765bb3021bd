"""The codebook of the evaluation dataset, generated from the variable list below and the
code lists in ``pilot.codes`` (the same lists the forms use), so it cannot drift from them.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from pilot import codes
from pilot.codes import CodeList


@dataclass(frozen=True)
class Variabele:
    bestand: str
    naam: str
    type: str
    omschrijving: str
    codelijst: str | None = None


@dataclass(frozen=True)
class CodeboekRij:
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


def gedraging_kolom(code: str) -> str:
    return f"gedraging_{code}"


def incident_variabelen(gedraging: CodeList = codes.GEDRAGING) -> list[Variabele]:
    """The columns of ``incidenten``, in file order; one 0/1 column per conduct code."""
    i = "incidenten"
    return [
        Variabele(i, "incident_id", GETAL, "Volgnummer van het incident in de registratie."),
        Variabele(i, "gemeente", CODE, "CBS-code van de gemeente (GM + 4 cijfers)."),
        Variabele(i, "gemeente_naam", TEKST, "Naam van de gemeente."),
        Variabele(i, "tranche", GETAL, "Tranche waarmee de gemeente in de pilot begon."),
        Variabele(i, "boa", CODE, "Pseudoniem van de boa (geen naam of personeelsnummer)."),
        Variabele(i, "datum", DATUM, "Lokale datum van het incident (Europe/Amsterdam)."),
        Variabele(i, "weekdag", GETAL, "Dag van de week van de lokale datum.", "weekdag"),
        Variabele(i, "tijdvak", CODE, "Tijdvak van het lokale tijdstip.", "tijdvak"),
        Variabele(i, "cel_x", GETAL, "RD New x (m) van de linkeronderhoek van de 100 m-cel."),
        Variabele(i, "cel_y", GETAL, "RD New y (m) van de linkeronderhoek van de 100 m-cel."),
        Variabele(i, "cel_lat", KOMMA, "WGS84-breedte van het midden van de 100 m-cel."),
        Variabele(i, "cel_lon", KOMMA, "WGS84-lengte van het midden van de 100 m-cel."),
        Variabele(i, "locatie_type", CODE, "Type locatie.", "locatie_type"),
        *(
            Variabele(
                i,
                gedraging_kolom(item.code),
                JANEE,
                f"1 = gedraging ‘{item.label}’ kwam voor, 0 = niet.",
                gedraging.name,
            )
            for item in gedraging.codes
        ),
        Variabele(i, "kennisname", CODE, "Wijze van kennisname.", "kennisname"),
        Variabele(i, "kleding", CODE, "Optreden in uniform of in burger.", "kleding"),
        Variabele(i, "rol_boa", CODE, "Rol van de boa.", "rol_boa"),
        Variabele(i, "afdoening", CODE, "Afdoening.", "afdoening"),
        Variabele(i, "aantal_verdachten", GETAL, "Aantal verdachten."),
        Variabele(i, "leeftijd_verdachten", CODE, "Geschatte leeftijd verdachte(n).", "leeftijd"),
        Variabele(i, "aantal_slachtoffers", GETAL, "Aantal slachtoffers."),
        Variabele(
            i, "slachtofferhulp", JANEE, "1 = slachtoffer doorverwezen naar slachtofferhulp."
        ),
        Variabele(
            i,
            "registratie_vertraging_dagen",
            GETAL,
            "Hele dagen tussen het incident en de registratie (meer dan 7 = laat geregistreerd).",
        ),  # fmt: skip
        Variabele(
            i, "synthetisch", JANEE, "1 = synthetisch record (test of demo), geen echt incident."
        ),
    ]


DIENST_VARIABELEN = [
    Variabele("diensten", "dienst_id", GETAL, "Volgnummer van de dienst."),
    Variabele("diensten", "gemeente", CODE, "CBS-code van de gemeente."),
    Variabele("diensten", "datum", DATUM, "Datum waarop de dienst begon."),
    Variabele("diensten", "duur_minuten", GETAL, "Duur van de dienst in minuten."),
    Variabele("diensten", "aantal_uniform", GETAL, "Aantal boa’s in uniform."),
    Variabele("diensten", "aantal_burger", GETAL, "Aantal boa’s in burger."),
    Variabele("diensten", "inzeturen", KOMMA, "Duur in uren × (uniform + burger)."),
    Variabele("diensten", "synthetisch", JANEE, "1 = synthetisch record (test of demo)."),
]

P = "politiecijfers"
POLITIE_VARIABELEN = [
    Variabele(P, "gemeente", CODE, "CBS-code van de gemeente."),
    Variabele(P, "maand", DATUM, "Eerste dag van de maand."),
    Variabele(P, "meldingen", GETAL, "Meldingen art. 429ter bij de politie (leeg = onbekend)."),
    Variabele(P, "aangiftes", GETAL, "Aangiftes art. 429ter (leeg = onbekend)."),
    Variabele(P, "processen_verbaal", GETAL, "Pv’s art. 429ter door de politie (leeg = onbekend)."),
]


def variabelen(code_lists: Sequence[CodeList] = CODE_LISTS) -> list[Variabele]:
    gedraging = next(cl for cl in code_lists if cl.name == codes.GEDRAGING.name)
    return [*incident_variabelen(gedraging), *DIENST_VARIABELEN, *POLITIE_VARIABELEN]


def codeboek(code_lists: Sequence[CodeList] = CODE_LISTS) -> list[CodeboekRij]:
    """One row per variable, or per variable and code where the variable has a code list.

    A conduct column (``gedraging_<code>``) carries its own conduct code. Code lists that
    no variable uses are appended, so every code of every list is in the codebook.
    """
    lists = {code_list.name: code_list for code_list in code_lists}
    rows: list[CodeboekRij] = []
    used: set[str] = set()
    for var in variabelen(code_lists):
        code_list = lists.get(var.codelijst or "")
        if code_list is None:
            rows.append(CodeboekRij(var.bestand, var.naam, var.type, "", "", "", var.omschrijving))
            continue
        used.add(code_list.name)
        items = code_list.codes
        if var.naam.startswith("gedraging_"):
            items = tuple(c for c in items if gedraging_kolom(c.code) == var.naam)
        for item in items:
            rows.append(
                CodeboekRij(
                    var.bestand, var.naam, var.type, code_list.name, item.code, item.label,
                    var.omschrijving,
                )
            )  # fmt: skip
    for code_list in code_lists:
        if code_list.name in used:
            continue
        for item in code_list.codes:
            rows.append(
                CodeboekRij("codelijsten", code_list.name, CODE, code_list.name, item.code,
                            item.label, code_list.titel)
            )  # fmt: skip
    return rows
