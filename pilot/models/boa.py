"""A trained boa, known only by a pseudonymous code."""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.gemeente import Gemeente


class Boa(Base):
    __tablename__ = "boa"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "personeelsnummer_hmac", name="uq_boa_personeelsnummer"),
        CheckConstraint(
            "mandaat_eind IS NULL OR mandaat_start IS NULL OR mandaat_eind >= mandaat_start",
            name="mandaat_periode",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"), index=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    personeelsnummer_hmac: Mapped[str | None] = mapped_column(String(64))
    opleidingsdatum: Mapped[date | None] = mapped_column(Date)
    mandaat_start: Mapped[date | None] = mapped_column(Date)
    mandaat_eind: Mapped[date | None] = mapped_column(Date)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gemeente: Mapped[Gemeente] = relationship()

    def getraind_op(self, day: date) -> bool:
        return self.opleidingsdatum is not None and self.opleidingsdatum <= day

    def mandaat_op(self, day: date) -> bool:
        return (
            self.mandaat_start is not None
            and self.mandaat_start <= day
            and (self.mandaat_eind is None or day <= self.mandaat_eind)
        )

    def __repr__(self) -> str:
        return f"<Boa {self.code}>"
