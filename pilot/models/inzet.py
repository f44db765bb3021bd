"""Enforcement effort (diensten) and aggregate police figures per gemeente and month."""

from datetime import date, datetime, time

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.gemeente import Gemeente


class Dienst(Base):
    """A shift. ``duur_minuten`` is derived on write (a shift may run past midnight).

    ``gebiedstype`` is a code of the list ``gebiedstype``; NULL means unknown: the shift
    was recorded before the type of area was asked (migration 0051). Every new or changed
    shift has one (``pilot.services.diensten``)."""

    __tablename__ = "dienst"
    __table_args__ = (
        CheckConstraint("aantal_uniform >= 0 AND aantal_burger >= 0", name="aantallen"),
        CheckConstraint("duur_minuten > 0", name="duur"),
        Index("ix_dienst_gemeente_datum", "gemeente_id", "datum"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    datum: Mapped[date] = mapped_column(Date)
    begintijd: Mapped[time] = mapped_column(Time)
    eindtijd: Mapped[time] = mapped_column(Time)
    duur_minuten: Mapped[int] = mapped_column(Integer)
    gebied: Mapped[str] = mapped_column(String(200))
    gebiedstype: Mapped[str | None] = mapped_column(String(30))
    aantal_uniform: Mapped[int] = mapped_column(SmallInteger)
    aantal_burger: Mapped[int] = mapped_column(SmallInteger)
    synthetisch: Mapped[bool] = mapped_column(default=False)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    gemeente: Mapped[Gemeente] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def inzeturen(self) -> float:
        """Person-hours: shift length times the number of boa's on it."""
        return self.duur_minuten / 60 * (self.aantal_uniform + self.aantal_burger)


class PolitieCijfer(Base):
    """Police figures for 429ter in one gemeente and month (first day of the month)."""

    __tablename__ = "politie_cijfer"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "maand", name="uq_politie_cijfer_gemeente_maand"),
        CheckConstraint(
            "(meldingen IS NULL OR meldingen >= 0) AND (aangiftes IS NULL OR aangiftes >= 0)"
            " AND (processen_verbaal IS NULL OR processen_verbaal >= 0)",
            name="aantallen",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    maand: Mapped[date] = mapped_column(Date)
    meldingen: Mapped[int | None] = mapped_column(Integer)
    aangiftes: Mapped[int | None] = mapped_column(Integer)
    processen_verbaal: Mapped[int | None] = mapped_column(Integer)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gemeente: Mapped[Gemeente] = relationship()
