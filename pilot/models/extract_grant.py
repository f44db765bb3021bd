"""A beheerder's grant of the finer dataset extract to one evaluator (issue 10).

The default evaluation dataset is k-anonymous; the extract has today's detail (100 m
cell, date, boa pseudonym). An evaluator gets it only with a grant: a stated purpose,
valid through a date, revocable. Creating and revoking are audited by the flush listener;
each download is recorded with the grant's id.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.user import User


class ExtractGrant(Base):
    __tablename__ = "extract_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    doel: Mapped[str] = mapped_column(String(500))
    geldig_tot: Mapped[date] = mapped_column(Date)
    verleend_door_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verleend_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ingetrokken_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ingetrokken_door_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    verleend_door: Mapped[User | None] = relationship(foreign_keys=[verleend_door_id])
    ingetrokken_door: Mapped[User | None] = relationship(foreign_keys=[ingetrokken_door_id])

    def active_on(self, day: date) -> bool:
        """Not revoked and valid through ``day``."""
        return self.ingetrokken_op is None and day <= self.geldig_tot
