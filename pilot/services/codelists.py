"""Keeping the code lists: correct a label, add a code at the end; each change a new version.

The rules that keep codes stable for the evaluation across versions:

- a code is never removed and never renamed; only its label can be corrected (the page
  asks to keep the meaning: a correction, not a new category);
- a new code goes at the end of its list (so a conduct keeps its bit in the bit mask);
- codes are lower-case letters, digits and underscores, starting with a letter, and fit
  the incident column that stores them;
- within a list no two codes or labels are equal ignoring case, and no label equals
  another code, because the file import accepts a code or a label;
- the derived lists (tijdvak, weekdag) get no new codes: the app computes their values.

Every change writes one ``CodeboekVersie`` (version number, who, which list, what) in the
same transaction as the code row, and the code row itself is in the audit trail.
"""

import re

from sqlalchemy.exc import IntegrityError

from pilot import codes
from pilot.audit import current_actor
from pilot.extensions import db
from pilot.models import CodeboekVersie, Codelijst, CodelijstCode, Dienst, Incident
from pilot.services import pii
from pilot.services.errors import Conflict, DomainError, NotFound

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_LABEL = 200
MAX_TOELICHTING = 200
MAX_GEDRAGINGEN = 31  # bits 0..30 of the signed 32-bit bit mask Incident.gedragingen
GEDRAGING_CODE_LENGTH = 30  # becomes the dataset column gedraging_<code>
# The column that stores each list's codes bounds the length of a new code.
STORED_IN = {
    "gebiedstype": Dienst.gebiedstype,
    "locatie_type": Incident.locatie_type,
    "kennisname": Incident.kennisname,
    "kleding": Incident.kleding,
    "rol_boa": Incident.rol_boa,
    "afdoening": Incident.afdoening,
    "leeftijd": Incident.leeftijd_verdachten,
}


def code_list(naam: str) -> codes.CodeList:
    """The current version of a list, or NotFound."""
    try:
        return codes.current()[naam]
    except KeyError as exc:
        raise NotFound from exc


def max_code_length(naam: str) -> int:
    column = STORED_IN.get(naam)
    return column.type.length if column is not None else GEDRAGING_CODE_LENGTH


def seed_code_lists() -> bool:
    """Write the built-in codebook (``codes.BUILTIN_BOOK``: version 1, ``codes.SEED``, and
    each list of ``codes.ADDED`` as the next version) when the store is empty: a database
    emptied by hand or by the tests. The migrations on a new database write the same."""
    if db.session.execute(db.select(CodeboekVersie.versie).limit(1)).first() is not None:
        return False
    book = codes.BUILTIN_BOOK
    for change in book.changes:
        db.session.add(
            CodeboekVersie(
                versie=change.versie,
                actor=change.actor,
                codelijst=change.codelijst,
                wijziging=change.wijziging,
            )
        )
    for position, code_list in enumerate(book):
        db.session.add(
            Codelijst(
                naam=code_list.name,
                titel=code_list.titel,
                positie=position,
                uitbreidbaar=code_list.uitbreidbaar,
            )
        )
    db.session.flush()
    for code_list in book:
        for position, item in enumerate(code_list.codes):
            db.session.add(
                CodelijstCode(
                    codelijst=code_list.name,
                    code=item.code,
                    label=item.label,
                    positie=position,
                    sinds_versie=item.sinds_versie,
                )
            )
    db.session.flush()
    return True


def _clean_label(label: str | None) -> str:
    return " ".join((label or "").split())


def _check_label(lijst: codes.CodeList, label: str, own_code: str | None) -> list[str]:
    if not label:
        return ["Vul een omschrijving (label) in."]
    if len(label) > MAX_LABEL:
        return [f"Het label is langer dan {MAX_LABEL} tekens."]
    taken = {
        text.lower(): item
        for item in lijst.codes
        if item.code != own_code
        for text in (item.label, item.code)
    }
    if other := taken.get(label.lower()):
        return [
            f"Dit label is al in gebruik voor code ‘{other.code}’ ({other.label}); een "
            "label moet binnen de lijst uniek zijn, omdat het importbestand ook labels accepteert."
        ]
    if found := pii.screen(label):
        return [pii.message(found, "label")]
    return []


def _check_toelichting(toelichting: str) -> list[str]:
    if len(toelichting) > MAX_TOELICHTING:
        return [f"De toelichting is langer dan {MAX_TOELICHTING} tekens."]
    if found := pii.screen(toelichting):
        return [pii.message(found, "toelichting")]
    return []


def _check_code(lijst: codes.CodeList, code: str) -> list[str]:
    limit = max_code_length(lijst.name)
    if not code:
        return ["Vul een code in."]
    if not CODE_PATTERN.match(code):
        return [
            "Een code bestaat uit kleine letters, cijfers en liggende streepjes (_) en "
            "begint met een letter, bijvoorbeeld ‘tram_halte’."
        ]
    if len(code) > limit:
        return [f"Een code in deze lijst is hoogstens {limit} tekens lang."]
    if code in lijst:
        return [f"De code ‘{code}’ bestaat al in deze lijst (met label ‘{lijst.label(code)}’)."]
    if any(code == item.label.lower() for item in lijst.codes):
        return ["Deze code is gelijk aan het label van een andere code; kies een andere code."]
    return []


def _new_version(naam: str, wijziging: str) -> int:
    versie = (db.session.execute(db.select(db.func.max(CodeboekVersie.versie))).scalar() or 0) + 1
    db.session.add(
        CodeboekVersie(
            versie=versie, actor=current_actor()[1], codelijst=naam, wijziging=wijziging[:500]
        )
    )
    db.session.flush()
    return versie


def _with(wijziging: str, toelichting: str) -> str:
    return f"{wijziging} Toelichting: {toelichting}" if toelichting else wijziging


def _commit() -> None:
    """Commit; two changes at once both claim the next version number: the second loses."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict from exc
    finally:
        codes.forget_current()


def add_code(naam: str, code: str, label: str, toelichting: str = "") -> codes.Codebook:
    """Add ``code`` with ``label`` at the end of list ``naam``; returns the new codebook."""
    lijst = code_list(naam)
    code, label = (code or "").strip(), _clean_label(label)
    toelichting = _clean_label(toelichting)
    errors: dict[str, list[str]] = {}
    if not lijst.uitbreidbaar:
        raise DomainError(
            f"De lijst ‘{lijst.titel}’ wordt door de applicatie afgeleid; er kunnen geen "
            "codes worden toegevoegd, alleen labels gecorrigeerd."
        )
    if naam == codes.GEDRAGING.name and len(lijst.codes) >= MAX_GEDRAGINGEN:
        raise DomainError(f"De lijst gedragingen kan hoogstens {MAX_GEDRAGINGEN} codes bevatten.")
    for field, messages in (
        ("code", _check_code(lijst, code)),
        ("label", _check_label(lijst, label, own_code=None)),
        ("toelichting", _check_toelichting(toelichting)),
    ):
        if messages:
            errors[field] = messages
    if errors:
        raise DomainError(errors)
    seed_code_lists()
    versie = _new_version(
        naam, _with(f"Code ‘{code}’ ({label}) toegevoegd aan ‘{lijst.titel}’.", toelichting)
    )
    db.session.add(
        CodelijstCode(
            codelijst=naam, code=code, label=label, positie=len(lijst.codes), sinds_versie=versie
        )
    )
    _commit()
    return codes.current()


def correct_label(naam: str, code: str, label: str, toelichting: str = "") -> codes.Codebook:
    """Correct the label of an existing code (its meaning stays); returns the new codebook."""
    lijst = code_list(naam)
    if code not in lijst:
        raise NotFound
    label, toelichting = _clean_label(label), _clean_label(toelichting)
    old = lijst.label(code)
    errors: dict[str, list[str]] = {}
    if label == old:
        errors["label"] = ["Het label is niet veranderd."]
    elif messages := _check_label(lijst, label, own_code=code):
        errors["label"] = messages
    if messages := _check_toelichting(toelichting):
        errors["toelichting"] = messages
    if errors:
        raise DomainError(errors)
    seed_code_lists()
    _new_version(
        naam,
        _with(
            f"Label van code ‘{code}’ in ‘{lijst.titel}’ gecorrigeerd van ‘{old}’ in ‘{label}’.",
            toelichting,
        ),
    )
    row = db.session.execute(
        db.select(CodelijstCode).where(CodelijstCode.codelijst == naam, CodelijstCode.code == code)
    ).scalar_one()
    row.label = label
    _commit()
    return codes.current()
