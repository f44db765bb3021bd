"""An enforcement incident under art. 429ter Sr (see DOMAIN.md, 'What an incident record holds').

The moment is stored in UTC; the local date, weekday and time band (Europe/Amsterdam) are
derived once on write because reports and hotspot filters group on them in SQL. The RD New
coordinates are derived from lat/lon on write and indexed for the hotspot grid.
"""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.boa import Boa
from pilot.models.gemeente import Gemeente

LIVE_WITHOUT_CASE_NUMBER = "ingetrokken_op IS NULL AND zaaknummer_hmac IS NULL"


class Incident(Base):
    __tablename__ = "incident"
    __table_args__ = (
        # One incident per case number per gemeente; one live incident per fingerprint among
        # those without a case number (migration 0011; the services check first, these are
        # the backstop against two simultaneous writes).
        UniqueConstraint("gemeente_id", "zaaknummer_hmac", name="uq_incident_zaaknummer"),
        Index(
            "uq_incident_vingerafdruk_live",
            "vingerafdruk",
            unique=True,
            sqlite_where=text(LIVE_WITHOUT_CASE_NUMBER),
            postgresql_where=text(LIVE_WITHOUT_CASE_NUMBER),
        ),
        CheckConstraint("aantal_verdachten >= 0", name="aantal_verdachten"),
        CheckConstraint("aantal_slachtoffers >= 0", name="aantal_slachtoffers"),
        CheckConstraint("gedragingen > 0", name="gedragingen"),
        Index("ix_incident_gemeente_tijdstip", "gemeente_id", "tijdstip"),
        Index("ix_incident_rd", "rd_x", "rd_y"),
        Index("ix_incident_gemeente_rd", "gemeente_id", "rd_x", "rd_y"),
        # Covering indexes for the hotspot grid (migration 0002, see pilot.services.hotspots).
        Index(
            "ix_incident_hotspot_datum",
            "lokale_datum",
            "gemeente_id",
            "rd_x",
            "rd_y",
            "ingetrokken_op",
        ),
        Index(
            "ix_incident_hotspot_gemeente",
            "gemeente_id",
            "lokale_datum",
            "rd_x",
            "rd_y",
            "ingetrokken_op",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gemeente_id: Mapped[int] = mapped_column(ForeignKey("gemeente.id"))
    boa_id: Mapped[int] = mapped_column(ForeignKey("boa.id"), index=True)
    tijdstip: Mapped[datetime] = mapped_column(UTCDateTime)
    lokale_datum: Mapped[date] = mapped_column(Date, index=True)
    weekdag: Mapped[int] = mapped_column(SmallInteger)
    tijdvak: Mapped[str] = mapped_column(String(10))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    rd_x: Mapped[float] = mapped_column(Float)
    rd_y: Mapped[float] = mapped_column(Float)
    locatie_type: Mapped[str] = mapped_column(String(30))
    gedragingen: Mapped[int] = mapped_column(Integer)
    kennisname: Mapped[str] = mapped_column(String(30))
    kleding: Mapped[str] = mapped_column(String(10))
    rol_boa: Mapped[str] = mapped_column(String(15))
    afdoening: Mapped[str] = mapped_column(String(30))
    aantal_verdachten: Mapped[int] = mapped_column(SmallInteger)
    leeftijd_verdachten: Mapped[str] = mapped_column(String(15))
    aantal_slachtoffers: Mapped[int] = mapped_column(SmallInteger)
    slachtofferhulp: Mapped[bool] = mapped_column(Boolean, default=False)
    zaaknummer_hmac: Mapped[str | None] = mapped_column(String(64), index=True)
    opmerking: Mapped[str | None] = mapped_column(String(500))
    vingerafdruk: Mapped[str] = mapped_column(String(64), index=True)
    grens_gecontroleerd: Mapped[bool] = mapped_column(Boolean, default=True)
    synthetisch: Mapped[bool] = mapped_column(Boolean, default=False)
    # Written by the file import: its creation time is the import, not the registration.
    geimporteerd: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The job of a large import that wrote it in chunks (``ImportBatch``); NULL otherwise.
    import_batch: Mapped[str | None] = mapped_column(String(32), index=True)
    ingetrokken_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    intrek_reden: Mapped[str | None] = mapped_column(String(300))
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    gewijzigd_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    gemeente: Mapped[Gemeente] = relationship()
    boa: Mapped[Boa] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def ingetrokken(self) -> bool:
        return self.ingetrokken_op is not None
