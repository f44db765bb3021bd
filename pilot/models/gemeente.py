"""A participating gemeente, its pilot period and its boundary."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Integer, LargeBinary, String
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

    @property
    def heeft_grens(self) -> bool:
        return self.grens_geladen_op is not None

    def in_pilot_period(self, day: date) -> bool:
        return self.pilot_start <= day and (self.pilot_eind is None or day <= self.pilot_eind)

    def __repr__(self) -> str:
        return f"<Gemeente {self.cbs_code} {self.naam}>"
