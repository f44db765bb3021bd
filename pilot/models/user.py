"""Users and their roles (see DOMAIN.md, 'Who uses it')."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.gemeente import Gemeente


class Rol(StrEnum):
    BEHEERDER = "beheerder"
    COORDINATOR = "coordinator"
    EVALUATOR = "evaluator"
    MINISTERIE = "ministerie"

    @property
    def label(self) -> str:
        return ROL_LABELS[self]


ROL_LABELS = {
    Rol.BEHEERDER: "Beheerder (programmateam)",
    Rol.COORDINATOR: "Coördinator gemeente",
    Rol.EVALUATOR: "Evaluator",
    Rol.MINISTERIE: "Ministerie (OCW/JenV)",
}


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "(rol = 'coordinator') = (gemeente_id IS NOT NULL)", name="coordinator_gemeente"
        ),
        CheckConstraint(
            "rol IN ('beheerder', 'coordinator', 'evaluator', 'ministerie')", name="rol"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(80), unique=True)
    naam: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    rol: Mapped[str] = mapped_column(String(20))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    laatst_ingelogd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)

    gemeente: Mapped[Gemeente | None] = relationship()

    @property
    def role(self) -> Rol:
        return Rol(self.rol)

    @property
    def is_active(self) -> bool:
        return self.actief

    def __repr__(self) -> str:
        return f"<User {self.gebruikersnaam} {self.rol}>"
