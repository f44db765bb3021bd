"""The stored code lists: a versioned codebook of stable codes with Dutch labels.

Codes are only ever added at the end of a list and labels corrected; nothing is removed,
so a code keeps its meaning across versions. Each change is one ``CodeboekVersie``.
"""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pilot.models.base import Base, UTCDateTime, utcnow


class CodeboekVersie(Base):
    """One version of the codebook: what changed, when and by whom (the change log)."""

    __tablename__ = "codeboek_versie"

    versie: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    tijdstip: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    codelijst: Mapped[str | None] = mapped_column(String(40))
    wijziging: Mapped[str] = mapped_column(String(500))


class Codelijst(Base):
    __tablename__ = "codelijst"

    naam: Mapped[str] = mapped_column(String(40), primary_key=True)
    titel: Mapped[str] = mapped_column(String(200))
    positie: Mapped[int] = mapped_column(Integer, unique=True)
    uitbreidbaar: Mapped[bool] = mapped_column(Boolean)


class CodelijstCode(Base):
    __tablename__ = "codelijst_code"
    __table_args__ = (
        UniqueConstraint("codelijst", "code", name="uq_codelijst_code_code"),
        UniqueConstraint("codelijst", "positie", name="uq_codelijst_code_positie"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    codelijst: Mapped[str] = mapped_column(ForeignKey("codelijst.naam"))
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    positie: Mapped[int] = mapped_column(Integer)
    sinds_versie: Mapped[int] = mapped_column(ForeignKey("codeboek_versie.versie"))
