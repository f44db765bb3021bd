"""A gemeente's pilot period: records that fall outside it, and the pilot status notice.

Records outside the pilot period (incidents by local date, diensten by date, police
figures by month) are left out of the pilot-period figures and of every outsider output.
So that they do not drop out silently, changing a period that would move records
outside asks for confirmation with the counts (``newly_outside``), and the reports list
them in the data-quality section of the coordinator's report (``outside_counts``); outsiders
get none of these counts (they are in no table of the protected publication).

A police month counts as inside when any of its days is inside, as in the reports.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import and_, func, not_, or_

from pilot.extensions import db
from pilot.models import Dienst, Gemeente, Incident, PolitieCijfer


@dataclass(frozen=True)
class OutsideCounts:
    incidenten: int = 0
    diensten: int = 0
    politiecijfers: int = 0  # months

    @property
    def totaal(self) -> int:
        return self.incidenten + self.diensten + self.politiecijfers

    def tekst(self) -> str:
        parts = [
            f"{self.incidenten} incident(en)",
            f"{self.diensten} dienst(en)",
            f"{self.politiecijfers} maand(en) politiecijfers",
        ]
        return ", ".join(parts[:-1]) + " en " + parts[-1]


def _inside(column, start: date, end: date | None, monthly: bool = False):
    """SQL: ``column`` within [start, end] (``end`` None: open); a month from its first day."""
    lower = column >= (start.replace(day=1) if monthly else start)
    return lower if end is None else and_(lower, column <= end)


def newly_outside(gemeente: Gemeente, start: date, end: date | None) -> OutsideCounts:
    """How many of the gemeente's records are inside its current period but outside
    [start, end] (withdrawn incidents do not count anywhere, so not here either)."""
    old_start, old_end = gemeente.pilot_start, gemeente.pilot_eind
    if gemeente.id is None:
        return OutsideCounts()

    def moved(column, monthly: bool = False):
        return and_(
            _inside(column, old_start, old_end, monthly),
            not_(_inside(column, start, end, monthly)),
        )

    incidenten = db.session.execute(
        db.select(func.count(Incident.id)).where(
            Incident.gemeente_id == gemeente.id,
            Incident.ingetrokken_op.is_(None),
            moved(Incident.lokale_datum),
        )
    ).scalar()
    diensten = db.session.execute(
        db.select(func.count(Dienst.id)).where(
            Dienst.gemeente_id == gemeente.id, moved(Dienst.datum)
        )
    ).scalar()
    politie = db.session.execute(
        db.select(func.count(PolitieCijfer.id)).where(
            PolitieCijfer.gemeente_id == gemeente.id, moved(PolitieCijfer.maand, monthly=True)
        )
    ).scalar()
    return OutsideCounts(int(incidenten), int(diensten), int(politie))


def outside_counts(gemeente_ids: list[int]) -> dict[int, OutsideCounts]:
    """Per gemeente: its records outside its own pilot period (three grouped counts)."""
    result = {gemeente_id: OutsideCounts() for gemeente_id in gemeente_ids}
    if not gemeente_ids:
        return result
    counts: dict[int, dict[str, int]] = {gemeente_id: {} for gemeente_id in gemeente_ids}
    for name, model, column, extra in (
        ("incidenten", Incident, Incident.lokale_datum, Incident.ingetrokken_op.is_(None)),
        ("diensten", Dienst, Dienst.datum, None),
        ("politiecijfers", PolitieCijfer, PolitieCijfer.maand, None),
    ):
        outside = or_(
            column < _month_start(Gemeente.pilot_start) if name == "politiecijfers"
            else column < Gemeente.pilot_start,
            and_(Gemeente.pilot_eind.is_not(None), column > Gemeente.pilot_eind),
        )  # fmt: skip
        statement = (
            db.select(model.gemeente_id, func.count())
            .join(Gemeente, Gemeente.id == model.gemeente_id)
            .where(model.gemeente_id.in_(gemeente_ids), outside)
            .group_by(model.gemeente_id)
        )
        if extra is not None:
            statement = statement.where(extra)
        for gemeente_id, n in db.session.execute(statement):
            counts[gemeente_id][name] = int(n)
    return {gemeente_id: OutsideCounts(**values) for gemeente_id, values in counts.items()}


def _month_start(column):
    """SQL: the first day of the month of a date column (SQLite and PostgreSQL)."""
    if db.engine.dialect.name == "sqlite":
        return func.date(column, "start of month")
    return func.date_trunc("month", column).cast(db.Date)


class PilotState(StrEnum):
    ACTIEF = "actief"
    NOG_NIET_GESTART = "nog_niet_gestart"
    AFGELOPEN = "afgelopen"
    GEDEACTIVEERD = "gedeactiveerd"


STATE_LABELS = {
    PilotState.ACTIEF: "actief",
    PilotState.NOG_NIET_GESTART: "nog niet gestart",
    PilotState.AFGELOPEN: "afgelopen",
    PilotState.GEDEACTIVEERD: "gedeactiveerd",
}
ASK = "Vragen of klopt dit niet? Neem contact op met de beheerder (het programmateam)."


@dataclass(frozen=True)
class PilotStatus:
    state: PilotState
    melding: str  # the notice for the gemeente's coordinator; empty when active

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def actief(self) -> bool:
        return self.state is PilotState.ACTIEF


def pilot_status(gemeente: Gemeente, today: date) -> PilotStatus:
    """Whether the gemeente takes part today, and if not what that means for registering."""
    naam, start, end = gemeente.naam, gemeente.pilot_start, gemeente.pilot_eind
    if not gemeente.actief:
        return PilotStatus(
            PilotState.GEDEACTIVEERD,
            f"{naam} neemt niet meer deel aan de pilot. Nieuwe incidenten, diensten, "
            f"politiecijfers en boa's kunnen niet worden vastgelegd; bestaande gegevens "
            f"blijven bewaard en zichtbaar. {ASK}",
        )
    if today < start:
        return PilotStatus(
            PilotState.NOG_NIET_GESTART,
            f"De pilot in {naam} begint op {start:%d-%m-%Y}. Incidenten en diensten kunnen "
            f"alleen worden vastgelegd met een datum vanaf de start; boa's registreren kan "
            f"al wel. {ASK}",
        )
    if end is not None and today > end:
        return PilotStatus(
            PilotState.AFGELOPEN,
            f"De pilot in {naam} is afgelopen op {end:%d-%m-%Y}. Incidenten en diensten "
            f"kunnen alleen nog worden vastgelegd met een datum tot en met die dag "
            f"(bijvoorbeeld een late registratie). Is de pilot verlengd? Dan past de "
            f"beheerder (het programmateam) de einddatum aan.",
        )
    return PilotStatus(PilotState.ACTIEF, "")
