"""Throttling counters shared by every app server (``pilot.services.throttle_storage``)."""

from sqlalchemy import Float, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pilot.models.base import Base


class ThrottleCounter(Base):
    """One fixed-window counter of Flask-Limiter: hits in the window ending ``verloopt_op``.

    ``verloopt_op`` is seconds since the epoch, as the ``limits`` library counts time.
    """

    __tablename__ = "throttle_counter"

    sleutel: Mapped[str] = mapped_column(String(512), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer)
    verloopt_op: Mapped[float] = mapped_column(Float)
