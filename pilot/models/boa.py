"""A boa, known only by a pseudonymous code: in opleiding until trained, bevoegd with a mandate."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.gemeente import Gemeente


class BoaStatus(StrEnum):
    IN_OPLEIDING = "in_opleiding"
    OPGELEID = "opgeleid"  # trained, no OM mandate on the day (not yet, or no longer)
    BEVOEGD = "bevoegd"
    GEDEACTIVEERD = "gedeactiveerd"

    @property
    def label(self) -> str:
        return BOA_STATUS_LABELS[self]


BOA_STATUS_LABELS = {
    BoaStatus.IN_OPLEIDING: "in opleiding",
    BoaStatus.OPGELEID: "opgeleid, geen geldig mandaat",
    BoaStatus.BEVOEGD: "bevoegd",
    BoaStatus.GEDEACTIVEERD: "gedeactiveerd",
}


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

    def bevoegd_op(self, day: date) -> bool:
        """Trained and holding the OM mandate on ``day`` (the pilot's condition to act)."""
        return self.getraind_op(day) and self.mandaat_op(day)

    @property
    def heeft_mandaat_na_opleiding(self) -> bool:
        """Trained, with a mandate that starts on or after the training: bevoegd on some day."""
        return (
            self.opleidingsdatum is not None
            and self.mandaat_start is not None
            and self.mandaat_start >= self.opleidingsdatum
        )

    @property
    def inzetbaar(self) -> bool:
        """Offered in the incident form and the import template: active and ever bevoegd
        (the incident's own date is checked by the incident rules)."""
        return self.actief and self.heeft_mandaat_na_opleiding

    def status(self, day: date) -> BoaStatus:
        if not self.actief:
            return BoaStatus.GEDEACTIVEERD
        if self.opleidingsdatum is None:
            return BoaStatus.IN_OPLEIDING
        if self.heeft_mandaat_na_opleiding and self.bevoegd_op(day):
            return BoaStatus.BEVOEGD
        return BoaStatus.OPGELEID

    def __repr__(self) -> str:
        return f"<Boa {self.code}>"
