"""Flask-Limiter storage in the app's database: one count per key, shared by all servers.

``memory://`` counts per process, so behind gunicorn's workers or a load balancer every
process would allow the full limit. Redis (``PILOT_RATELIMIT_STORAGE=redis://…``) shares
the counts too, but the pilot should not need Redis for that: the database every app
server already uses is enough for the few throttled routes (log-in, heavy work).

Registered with the ``limits`` library under the scheme ``pilot-db://`` (importing this
module registers it). Fixed windows only, Flask-Limiter's default strategy: one upsert per
hit, atomic on SQLite and PostgreSQL (``INSERT … ON CONFLICT DO UPDATE … RETURNING``),
in its own short transaction so it neither waits for nor commits the request's work.
"""

import time

from limits.storage import Storage
from sqlalchemy import case, delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from pilot.extensions import db
from pilot.models.throttle import ThrottleCounter

SCHEME = "pilot-db"
counters = ThrottleCounter.__table__
# Windows are seconds since the epoch on the real clock, as ``limits`` computes them
# (Retry-After, X-RateLimit-Reset); pilot.clock's frozen test time would not match.
_now = time.time  # noqa: TID251


class DatabaseStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Count ``amount`` hits; an expired window starts again at ``amount``."""
        now = _now()
        insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
        expired = counters.c.verloopt_op <= now
        statement = (
            insert(counters)
            .values(sleutel=key, aantal=amount, verloopt_op=now + expiry)
            .on_conflict_do_update(
                index_elements=[counters.c.sleutel],
                set_={
                    "aantal": case((expired, amount), else_=counters.c.aantal + amount),
                    "verloopt_op": case((expired, now + expiry), else_=counters.c.verloopt_op),
                },
            )
            .returning(counters.c.aantal)
        )
        with db.engine.begin() as connection:
            return int(connection.execute(statement).scalar_one())

    def _row(self, key: str):
        with db.engine.connect() as connection:
            return connection.execute(
                select(counters.c.aantal, counters.c.verloopt_op).where(counters.c.sleutel == key)
            ).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.aantal if row is not None and row.verloopt_op > _now() else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.verloopt_op if row is not None else _now()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(delete(counters)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(delete(counters).where(counters.c.sleutel == key))


def remove_expired() -> int:
    """Delete windows that ended (a key comes back with a fresh window anyway)."""
    with db.engine.begin() as connection:
        return connection.execute(delete(counters).where(counters.c.verloopt_op <= _now())).rowcount
