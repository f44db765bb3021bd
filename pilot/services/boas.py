"""Registering, changing, deactivating and finding boa's.

A boa is known by a pseudonymous code that the app issues. The coordinator's own personnel
number for a boa is optional and stored only as a keyed hash (HMAC with the instance key,
which lives outside the database), so the coordinator can find the boa again without the
database holding the number. The plain number is never stored, logged or audited.

A boa is "in opleiding" until a training date is recorded and "bevoegd" on a day when an
OM mandate that starts on or after the training covers it. Dates that cannot be true are
refused: a training in the future, a mandate before the training or without one, a
mandate that ends before it starts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pilot import clock
from pilot.extensions import db
from pilot.models import Boa, Gemeente
from pilot.pseudonym import keyed_hash, new_boa_code, normalise_identifier
from pilot.services.errors import DomainError
from pilot.services.gemeenten import check_accepts_records
from pilot.services.scoped import get_of_gemeente

PERSONEELSNUMMER = "personeelsnummer"
MAX_CODE_ATTEMPTS = 20


@dataclass
class BoaInput:
    """A boa as entered on the form; ``personeelsnummer`` is the plain number or empty."""

    opleidingsdatum: date | None = None
    mandaat_start: date | None = None
    mandaat_eind: date | None = None
    personeelsnummer: str | None = None


def boas_of(gemeente: Gemeente):
    """Select the gemeente's boa's, active first."""
    return (
        db.select(Boa).where(Boa.gemeente_id == gemeente.id).order_by(Boa.actief.desc(), Boa.code)
    )


def get_boa(gemeente: Gemeente, boa_id: int) -> Boa:
    """The gemeente's boa, or NotFound (also for another gemeente's id)."""
    return get_of_gemeente(Boa, gemeente, boa_id)


def personeelsnummer_hash(value: str) -> str:
    return keyed_hash(value, PERSONEELSNUMMER)


def _check(gemeente: Gemeente, data: BoaInput, boa_id: int | None) -> str | None:
    """Check the domain rules; return the HMAC of a given personnel number."""
    errors = _date_errors(data)
    digest = None
    if data.personeelsnummer and data.personeelsnummer.strip():
        if not normalise_identifier(data.personeelsnummer):
            errors[PERSONEELSNUMMER] = ["Een personeelsnummer bestaat uit letters en cijfers."]
        else:
            digest = personeelsnummer_hash(data.personeelsnummer)
            query = db.select(Boa.code).where(
                Boa.gemeente_id == gemeente.id, Boa.personeelsnummer_hmac == digest
            )
            if boa_id is not None:
                query = query.where(Boa.id != boa_id)
            if other := db.session.execute(query).scalar_one_or_none():
                errors[PERSONEELSNUMMER] = [
                    f"Dit personeelsnummer hoort in deze gemeente al bij boa {other}."
                ]
    if errors:
        raise DomainError(errors)
    return digest


def _date_errors(data: BoaInput) -> dict[str, list[str]]:
    """The training and mandate dates must be possible (see the module docstring)."""
    errors: dict[str, list[str]] = {}
    today = clock.today()
    if data.opleidingsdatum is not None and data.opleidingsdatum > today:
        errors["opleidingsdatum"] = [
            f"De opleidingsdatum ligt in de toekomst ({data.opleidingsdatum:%d-%m-%Y}); "
            "vul de datum in waarop de boa de opleiding heeft afgerond."
        ]
    if data.mandaat_start is not None:
        if data.opleidingsdatum is None:
            errors["mandaat_start"] = [
                "Een mandaat volgt op de opleiding: vul eerst de opleidingsdatum in."
            ]
        elif data.mandaat_start < data.opleidingsdatum:
            errors["mandaat_start"] = [
                f"Het mandaat begint vóór de opleiding ({data.opleidingsdatum:%d-%m-%Y}); "
                "het OM geeft het mandaat pas na de opleiding."
            ]
    if data.mandaat_eind is not None:
        if data.mandaat_start is None:
            errors["mandaat_start"] = ["Vul ook de startdatum van het mandaat in."]
        elif data.mandaat_eind < data.mandaat_start:
            errors["mandaat_eind"] = [
                "De einddatum van het mandaat ligt vóór de startdatum; "
                "kies een einddatum op of na de startdatum."
            ]
    return errors


def _free_code(gemeente: Gemeente, make_code: Callable[[str], str]) -> str:
    """A code not yet in use; random codes collide rarely, so try again when one does."""
    for _ in range(MAX_CODE_ATTEMPTS):
        code = make_code(gemeente.cbs_code)
        if db.session.execute(db.select(Boa.id).where(Boa.code == code)).first() is None:
            return code
    raise DomainError("Er kon geen vrije boa-code worden uitgegeven. Probeer het opnieuw.")


def register_boa(
    gemeente: Gemeente, data: BoaInput, make_code: Callable[[str], str] = new_boa_code
) -> Boa:
    """Register a boa in the gemeente under a new pseudonymous code."""
    check_accepts_records(gemeente)
    digest = _check(gemeente, data, boa_id=None)
    boa = Boa(
        gemeente_id=gemeente.id,
        code=_free_code(gemeente, make_code),
        personeelsnummer_hmac=digest,
        opleidingsdatum=data.opleidingsdatum,
        mandaat_start=data.mandaat_start,
        mandaat_eind=data.mandaat_eind,
        actief=True,
    )
    db.session.add(boa)
    db.session.commit()
    return boa


def update_boa(boa: Boa, data: BoaInput) -> Boa:
    """Change training and mandate dates; an empty personnel number keeps the stored one."""
    digest = _check(boa.gemeente, data, boa_id=boa.id)
    boa.opleidingsdatum = data.opleidingsdatum
    boa.mandaat_start = data.mandaat_start
    boa.mandaat_eind = data.mandaat_eind
    if digest is not None:
        boa.personeelsnummer_hmac = digest
    db.session.commit()
    return boa


def deactivate_boa(boa: Boa) -> Boa:
    """A deactivated boa stays in the records (incidents refer to it) but is not selectable."""
    boa.actief = False
    db.session.commit()
    return boa


def reactivate_boa(boa: Boa) -> Boa:
    """Make a deactivated boa selectable again (their dates decide whether they are bevoegd)."""
    boa.actief = True
    db.session.commit()
    return boa


def inzetbare_boas(gemeente: Gemeente) -> list[Boa]:
    """The boa's offered in the incident form and the import template (``Boa.inzetbaar``)."""
    rows = db.session.execute(boas_of(gemeente)).scalars()
    return [boa for boa in rows if boa.inzetbaar]


def find_by_personeelsnummer(gemeente: Gemeente, personeelsnummer: str) -> Boa | None:
    """The gemeente's boa with this personnel number (compared by keyed hash), or None."""
    if not normalise_identifier(personeelsnummer):
        return None
    return db.session.execute(
        db.select(Boa).where(
            Boa.gemeente_id == gemeente.id,
            Boa.personeelsnummer_hmac == personeelsnummer_hash(personeelsnummer),
        )
    ).scalar_one_or_none()
