"""Incident counts kept on write: what the outsider publication reads instead of incidents.

``IncidentTelling`` holds, per gemeente and month, the number of live (not withdrawn)
incidents per combination of a few columns (``soort``):

* ``a``: afdoening | kleding | leeftijd_verdachten | gedragingen (bit mask)
* ``b``: locatie_type | kennisname | rol_boa
* ``c``: weekdag | tijdvak | slachtoffer class | data-quality bit mask
* ``cel``: the 500 m map cell, ``x:y`` of its south-west corner in RD

Database triggers keep it (migration 0043), so every write path counts — the form, the
import's bulk insert, the API batch, a withdrawal, the retention purge, the demo. A row
whose count fell to 0 may stay. No foreign key: deleting a gemeente's incidents writes its
counts down to 0 and the rows may outlive it. ``pilot.services.disclosure.kept`` reads it.
"""

from datetime import date

from sqlalchemy import Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from pilot.models.base import Base


class IncidentTelling(Base):
    __tablename__ = "incident_telling"
    __table_args__ = {"sqlite_with_rowid": False}  # the key is the table (one B-tree)

    gemeente_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    maand: Mapped[date] = mapped_column(Date, primary_key=True)  # first day of the month
    soort: Mapped[str] = mapped_column(String(8), primary_key=True)
    sleutel: Mapped[str] = mapped_column(String(200), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer)
