"""Enforcement shifts (diensten): validating and storing them, one rule set for all callers.

Rules (Dutch message per field):
- datum: given, not in the future, within the gemeente's pilot period;
- begintijd/eindtijd: given and not equal. An eindtijd before the begintijd means the shift
  runs past midnight (22:00–03:00 is five hours); a shift lasts at most MAX_DUUR_UUR hours,
  which also catches swapped times of a day shift;
- gebied: a short description, screened for personal data like every free text;
- gebiedstype: given and a code of the current list ``gebiedstype`` (the beheerder may add
  codes); required on every write, so an old shift without one (NULL: unknown, recorded
  before the type was asked) gets one when it is next corrected;
- aantal_uniform/aantal_burger: 0..MAX_AANTAL each, together at least one boa.
``duur_minuten`` is derived here on every write.
"""

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select

from pilot import clock, codes
from pilot.extensions import db
from pilot.models import Dienst, Gemeente
from pilot.services import pii
from pilot.services.errors import Conflict, DomainError
from pilot.services.gemeenten import check_accepts_records, pilot_period_error
from pilot.services.scoped import get_of_gemeente
from pilot.services.versioning import commit_or_conflict

MAX_AANTAL = 50
MAX_DUUR_UUR = 12
MAX_GEBIED = 200


@dataclass
class DienstInput:
    datum: date | None
    begintijd: time | None
    eindtijd: time | None
    gebied: str = ""
    aantal_uniform: int | None = 0
    aantal_burger: int | None = 0
    gebiedstype: str = ""


def duur_minuten(begintijd: time, eindtijd: time) -> int:
    """Minutes from begin to end; an end at or before the begin is on the next day."""
    begin = begintijd.hour * 60 + begintijd.minute
    end = eindtijd.hour * 60 + eindtijd.minute
    return (end - begin) % (24 * 60) or 24 * 60


def validate(gemeente: Gemeente, item: DienstInput, today: date | None = None) -> dict:
    """Errors per field (empty: valid). Nothing is written."""
    today = today or clock.today()
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if item.datum is None:
        add("datum", "Vul de datum van de dienst in.")
    elif item.datum > today:
        add("datum", "De datum ligt in de toekomst.")
    elif message := pilot_period_error(gemeente, item.datum):
        add("datum", message)
    if item.begintijd is None:
        add("begintijd", "Vul de begintijd in.")
    if item.eindtijd is None:
        add("eindtijd", "Vul de eindtijd in.")
    if item.begintijd and item.eindtijd:
        if item.begintijd.replace(second=0) == item.eindtijd.replace(second=0):
            add(
                "eindtijd",
                "Begin- en eindtijd zijn gelijk; een dienst duurt langer dan nul minuten.",
            )
        elif duur_minuten(item.begintijd, item.eindtijd) > MAX_DUUR_UUR * 60:
            add(
                "eindtijd",
                f"Een dienst duurt hoogstens {MAX_DUUR_UUR} uur. Een eindtijd vóór de begintijd "
                "betekent: na middernacht.",
            )
    _check_gebied(item.gebied, add)
    _check_gebiedstype(item.gebiedstype, add)
    _check_aantallen(item, add)
    return errors


def _check_gebied(gebied: str, add) -> None:
    gebied = (gebied or "").strip()
    if not gebied:
        add("gebied", "Beschrijf kort het gebied (bijvoorbeeld: uitgaansgebied centrum).")
    elif len(gebied) > MAX_GEBIED:
        add("gebied", f"De beschrijving is langer dan {MAX_GEBIED} tekens.")
    elif found := pii.screen(gebied):
        add("gebied", pii.message(found, "gebiedsbeschrijving"))


def _check_gebiedstype(gebiedstype: str, add) -> None:
    gebiedstype_list = codes.GEBIEDSTYPE.resolve()
    gebiedstype = (gebiedstype or "").strip()
    if not gebiedstype:
        add("gebiedstype", "Kies het type gebied van de dienst.")
    elif gebiedstype not in gebiedstype_list:
        add(
            "gebiedstype",
            f"Onbekende code voor '{gebiedstype_list.titel}': kies een type uit de codelijst.",
        )


def _check_aantallen(item: DienstInput, add) -> None:
    counts = []
    for name, label in (("aantal_uniform", "in uniform"), ("aantal_burger", "in burger")):
        value = getattr(item, name)
        if value is None:
            add(name, f"Vul het aantal boa's {label} in (0 als er geen waren).")
        elif not 0 <= value <= MAX_AANTAL:
            add(name, f"Het aantal boa's {label} moet tussen 0 en {MAX_AANTAL} liggen.")
        else:
            counts.append(value)
    if len(counts) == 2 and sum(counts) < 1:
        add("aantal_uniform", "Een dienst heeft ten minste één boa (in uniform of in burger).")


def row_values(gemeente: Gemeente, item: DienstInput) -> dict:
    return {
        "gemeente_id": gemeente.id,
        "datum": item.datum,
        "begintijd": item.begintijd.replace(second=0, microsecond=0),
        "eindtijd": item.eindtijd.replace(second=0, microsecond=0),
        "duur_minuten": duur_minuten(item.begintijd, item.eindtijd),
        "gebied": item.gebied.strip(),
        "gebiedstype": item.gebiedstype.strip(),
        "aantal_uniform": item.aantal_uniform,
        "aantal_burger": item.aantal_burger,
    }


def create_dienst(gemeente: Gemeente, item: DienstInput) -> Dienst:
    """Validate and store a shift; raises DomainError with messages per field."""
    check_accepts_records(gemeente)
    if errors := validate(gemeente, item):
        raise DomainError(errors)
    dienst = Dienst(**row_values(gemeente, item))
    db.session.add(dienst)
    db.session.commit()
    return dienst


def get_dienst(gemeente: Gemeente, dienst_id: int) -> Dienst:
    """The gemeente's dienst, or NotFound (also for another gemeente's id)."""
    return get_of_gemeente(Dienst, gemeente, dienst_id)


def update_dienst(
    gemeente: Gemeente, dienst: Dienst, item: DienstInput, expected_version: int
) -> Dienst:
    """Change a shift if nobody else changed it since ``expected_version`` was read."""
    if dienst.version != expected_version:
        raise Conflict
    if errors := validate(gemeente, item):
        raise DomainError(errors)
    for name, value in row_values(gemeente, item).items():
        setattr(dienst, name, value)
    commit_or_conflict()
    return dienst


def input_from_dienst(dienst: Dienst) -> DienstInput:
    return DienstInput(
        datum=dienst.datum,
        begintijd=dienst.begintijd,
        eindtijd=dienst.eindtijd,
        gebied=dienst.gebied,
        aantal_uniform=dienst.aantal_uniform,
        aantal_burger=dienst.aantal_burger,
        gebiedstype=dienst.gebiedstype or "",
    )


def list_diensten(gemeente: Gemeente):
    """Select the gemeente's shifts, newest first."""
    return (
        select(Dienst)
        .where(Dienst.gemeente_id == gemeente.id)
        .order_by(Dienst.datum.desc(), Dienst.begintijd.desc(), Dienst.id.desc())
    )
