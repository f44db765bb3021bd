"""API tokens of gemeente systems and analysts, and the idempotency keys of batch writes.

A token is shown once and stored only as its SHA-256 hash (it is 256 random bits, so a
plain hash cannot be reversed; no key is needed). A gemeente token is scoped to one
gemeente and to reading or writing; an evaluator or ministerie token reads only the
outsider publication.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.gemeente import Gemeente
from pilot.models.user import User


class ApiToken(Base):
    __tablename__ = "api_token"
    __table_args__ = (
        CheckConstraint("soort IN ('gemeente', 'evaluator', 'ministerie')", name="soort"),
        CheckConstraint("scope IN ('lezen', 'schrijven')", name="scope"),
        CheckConstraint("(soort = 'gemeente') = (gemeente_id IS NOT NULL)", name="gemeente"),
        CheckConstraint("soort = 'gemeente' OR scope = 'lezen'", name="alleen_lezen"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    naam: Mapped[str] = mapped_column(String(100))
    soort: Mapped[str] = mapped_column(String(12))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    scope: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    aangemaakt_door_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verloopt_op: Mapped[datetime] = mapped_column(UTCDateTime)
    ingetrokken_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ingetrokken_door_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    laatst_gebruikt_op: Mapped[datetime | None] = mapped_column(UTCDateTime)

    gemeente: Mapped[Gemeente | None] = relationship()
    aangemaakt_door: Mapped[User] = relationship(foreign_keys=[aangemaakt_door_id])

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.soort} {self.scope}>"


class ApiIdempotency(Base):
    """The stored answer to a batch write, replayed when the same key comes again."""

    __tablename__ = "api_idempotency"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "sleutel", name="uq_api_idempotency_sleutel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    sleutel: Mapped[str] = mapped_column(String(255))
    verzoek_hash: Mapped[str] = mapped_column(String(64))
    token_id: Mapped[int] = mapped_column(ForeignKey("api_token.id"), index=True)
    status: Mapped[int] = mapped_column(SmallInteger)
    antwoord: Mapped[dict[str, Any]] = mapped_column(JSON)
    aantal: Mapped[int] = mapped_column(Integer)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
