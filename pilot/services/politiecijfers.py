"""Aggregate police figures for 429ter per gemeente and month: validate and upsert.

Each count is optional (a gemeente may receive only some figures) but at least one is
given and none is negative. The month is stored as its first day; it may not lie before
the law took effect (1 July 2024) nor in the future.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from pilot import clock
from pilot.extensions import db
from pilot.models import Gemeente, PolitieCijfer
from pilot.services.errors import DomainError
from pilot.services.gemeenten import check_accepts_records

WET_IN_WERKING = date(2024, 7, 1)
MAX_AANTAL = 100_000
FIELDS = {
    "meldingen": "meldingen",
    "aangiftes": "aangiftes",
    "processen_verbaal": "processen-verbaal",
}


@dataclass
class PolitieInput:
    maand: date | None
    meldingen: int | None = None
    aangiftes: int | None = None
    processen_verbaal: int | None = None


def validate(item: PolitieInput, today: date | None = None) -> dict[str, list[str]]:
    today = today or clock.today()
    errors: dict[str, list[str]] = {}
    if item.maand is None:
        errors["maand"] = ["Kies de maand."]
    elif item.maand.replace(day=1) < WET_IN_WERKING:
        errors["maand"] = ["Art. 429ter Sr geldt pas vanaf juli 2024; kies een latere maand."]
    elif item.maand.replace(day=1) > today.replace(day=1):
        errors["maand"] = ["De maand ligt in de toekomst."]
    for name, label in FIELDS.items():
        value = getattr(item, name)
        if value is not None and value < 0:
            errors[name] = [f"Het aantal {label} kan niet negatief zijn."]
        elif value is not None and value > MAX_AANTAL:
            errors[name] = [f"Het aantal {label} is onwaarschijnlijk hoog."]
    if all(getattr(item, name) is None for name in FIELDS):
        errors.setdefault("meldingen", []).append("Vul ten minste één aantal in.")
    return errors


def save_cijfers(gemeente: Gemeente, item: PolitieInput) -> PolitieCijfer:
    """Insert or update the figures of (gemeente, maand); raises DomainError when invalid."""
    if errors := validate(item):
        raise DomainError(errors)
    maand = item.maand.replace(day=1)
    row = db.session.execute(
        select(PolitieCijfer).where(
            PolitieCijfer.gemeente_id == gemeente.id, PolitieCijfer.maand == maand
        )
    ).scalar_one_or_none()
    if row is None:
        check_accepts_records(gemeente)
        row = PolitieCijfer(gemeente_id=gemeente.id, maand=maand)
        db.session.add(row)
    for name in FIELDS:
        setattr(row, name, getattr(item, name))
    db.session.commit()
    return row


def get_cijfers(gemeente: Gemeente, maand: date) -> PolitieCijfer | None:
    return db.session.execute(
        select(PolitieCijfer).where(
            PolitieCijfer.gemeente_id == gemeente.id, PolitieCijfer.maand == maand.replace(day=1)
        )
    ).scalar_one_or_none()


def list_cijfers(gemeente: Gemeente):
    """Select the gemeente's monthly figures, newest month first."""
    return (
        select(PolitieCijfer)
        .where(PolitieCijfer.gemeente_id == gemeente.id)
        .order_by(PolitieCijfer.maand.desc())
    )
