"""What the caches of derived figures key on, shared by every app server and worker.

``DataChange`` holds one row whose ``versie`` is a fresh random token after every change
to the tables outsider figures are computed from (incident, boa, gemeente,
politie_cijfer, frozen_quarter). Database triggers write it (migration 0041), so every
write path counts — the ORM, bulk inserts of the import, the purge's deletes — and reading
the version is one row, not a scan of the incidents. A random token rather than a counter:
after a reset of the table the counter could repeat an old value with other data.

``PublicationCache`` keeps the protected outsider publication per version, so that one
app server or worker computes it and the others load it.
"""

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from pilot.models.base import Base, UTCDateTime, utcnow


class DataChange(Base):
    __tablename__ = "data_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    versie: Mapped[str] = mapped_column(String(64))


class PublicationCache(Base):
    __tablename__ = "publication_cache"

    sleutel: Mapped[str] = mapped_column(String(64), primary_key=True)
    inhoud: Mapped[bytes] = mapped_column(LargeBinary)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
