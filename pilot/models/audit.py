"""The audit trail: who did what, when, to which record (never personal data).

Tamper evidence (``pilot.audit_chain``): ``payload_hash`` is the SHA-256 of ``details``;
``hash`` covers the event's metadata, ``payload_hash`` and ``vorige_hash`` (the hash of
the event with the previous ``volgnummer``). The retention purge may clear ``details``
(``payload_gewist_op`` set) but keeps ``payload_hash``, so the chain still verifies.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.user import User


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entiteit", "entiteit", "entiteit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    tijdstip: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    actor: Mapped[str] = mapped_column(String(80))
    actie: Mapped[str] = mapped_column(String(30))
    entiteit: Mapped[str] = mapped_column(String(40))
    entiteit_id: Mapped[str | None] = mapped_column(String(40))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    volgnummer: Mapped[int] = mapped_column(Integer, unique=True)
    payload_hash: Mapped[str] = mapped_column(String(64))
    vorige_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    payload_gewist_op: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship()
