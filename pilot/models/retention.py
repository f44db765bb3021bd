"""Frozen counts of purged gemeente-quarters (retention): what outsider figures need.

When a beheerder purges a gemeente's incidents before a quarter boundary, the counts the
outsider publication reads from incident rows are stored here first, per gemeente and
quarter: the incident total, the leaf counts of every breakdown (a leaf is one code or one
pair of codes) and the incidents per 500 m map cell. They are raw counts, protected when
read, together with the live quarters, exactly as incident rows are
(``pilot.services.disclosure.publication``); only zero counts are left out.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.gemeente import Gemeente


class FrozenQuarter(Base):
    """A purged gemeente-quarter and its number of incidents at the purge."""

    __tablename__ = "frozen_quarter"
    __table_args__ = (
        UniqueConstraint("gemeente_id", "kwartaal", name="uq_frozen_quarter_gemeente_kwartaal"),
        CheckConstraint("incidenten >= 0", name="incidenten"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    kwartaal: Mapped[str] = mapped_column(String(7))  # "2025-K1"
    incidenten: Mapped[int] = mapped_column(Integer)
    cel_m: Mapped[int] = mapped_column(SmallInteger)  # size of the map cells below
    bevroren_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    gemeente: Mapped[Gemeente] = relationship()


class FrozenLeaf(Base):
    """One non-zero leaf of a breakdown (``tabel``): its codes, one per code axis in the
    breakdown's order joined by ``|`` (``reprimande|uniform|onder_18``), and its count."""

    __tablename__ = "frozen_leaf"
    __table_args__ = (
        UniqueConstraint("frozen_quarter_id", "tabel", "codes", name="uq_frozen_leaf"),
        CheckConstraint("aantal > 0", name="aantal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    frozen_quarter_id: Mapped[int] = mapped_column(ForeignKey("frozen_quarter.id"))
    tabel: Mapped[str] = mapped_column(String(30))
    codes: Mapped[str] = mapped_column(String(120))
    aantal: Mapped[int] = mapped_column(Integer)


class FrozenCell(Base):
    """One occupied map cell (south-west corner in RD metres) and its count."""

    __tablename__ = "frozen_cell"
    __table_args__ = (
        UniqueConstraint("frozen_quarter_id", "x", "y", name="uq_frozen_cell"),
        CheckConstraint("aantal > 0", name="aantal"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    frozen_quarter_id: Mapped[int] = mapped_column(ForeignKey("frozen_quarter.id"))
    x: Mapped[int] = mapped_column(Integer)
    y: Mapped[int] = mapped_column(Integer)
    aantal: Mapped[int] = mapped_column(Integer)
