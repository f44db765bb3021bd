"""A participating gemeente, its pilot period and its boundary."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from pilot.models.base import Base, UTCDateTime


class Gemeente(Base):
    __tablename__ = "gemeente"
    __table_args__ = (
        CheckConstraint("pilot_eind IS NULL OR pilot_eind >= pilot_start", name="periode"),
        CheckConstraint("tranche >= 1", name="tranche"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cbs_code: Mapped[str] = mapped_column(String(6), unique=True)
    naam: Mapped[str] = mapped_column(String(100))
    provincie: Mapped[str] = mapped_column(String(50))
    tranche: Mapped[int] = mapped_column(Integer)
    pilot_start: Mapped[date] = mapped_column(Date)
    pilot_eind: Mapped[date | None] = mapped_column(Date)
    inwoners: Mapped[int | None] = mapped_column(Integer)
    grens_rd_wkb: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    grens_bron: Mapped[str | None] = mapped_column(String(300))
    grens_geladen_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actief: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    @property
    def heeft_grens(self) -> bool:
        return self.grens_geladen_op is not None

    def in_pilot_period(self, day: date) -> bool:
        return self.pilot_start <= day and (self.pilot_eind is None or day <= self.pilot_eind)

    def actief_op(self, day: date) -> bool:
        """Taking part now: not deactivated and ``day`` within the pilot period."""
        return self.actief and self.in_pilot_period(day)

    def __repr__(self) -> str:
        return f"<Gemeente {self.cbs_code} {self.naam}>"


class CbsLijstGemeente(Base):
    """One gemeente of the CBS list of a year: every gemeente, not only the pilot's.

    The beheerder adds a pilot gemeente by choosing it here (name and province come
    along). Filled from the list shipped with the package (``gemeenten.cbs_gemeenten``)
    and from every gemeentegrenzen file loaded, which also brings the boundary.
    """

    __tablename__ = "cbs_gemeente"
    __table_args__ = (UniqueConstraint("jaar", "cbs_code", name="uq_cbs_gemeente_jaar_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    jaar: Mapped[int] = mapped_column(Integer)
    cbs_code: Mapped[str] = mapped_column(String(6))
    naam: Mapped[str] = mapped_column(String(100))
    provincie: Mapped[str | None] = mapped_column(String(50))
    inwoners: Mapped[int | None] = mapped_column(Integer)
    grens_rd_wkb: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    grens_bron: Mapped[str | None] = mapped_column(String(300))

    def __repr__(self) -> str:
        return f"<CbsLijstGemeente {self.jaar} {self.cbs_code} {self.naam}>"
