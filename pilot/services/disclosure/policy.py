"""Who sees exact figures, and the outsider publication everyone else reads.

Exact counts, exact points, free periods and every filter are only for a gemeente's own
coordinator looking at that gemeente (DOMAIN.md). Everyone else (beheerder, evaluator,
ministerie) is an outsider: they read the protected publication (``publication.py``),
which offers completed quarters, closed years and the whole pilot, nothing finer.

The publication depends only on the data and on today's date, so it is cached per data
version: every outsider output of one moment (reports, maps, downloads, the dataset) is
cut from the same protected tables. The version is the token that database triggers renew
on every change (``pilot.models.cache.DataChange``: one row, no scan of the incidents), and
the built publication is kept in the database too, so one app server or worker builds it
per version and the others load it.

While the data keep changing (a working day of registrations across the country) the
version changes every few seconds, and the worker rebuilds at most once a minute
(``PILOT_PUBLICATION_MIN_INTERVAL``): an outsider who asked for the current version would
nearly always wait for a build of their own (seconds: the secondary suppression). So a
viewer gets the newest publication built at most ``PILOT_PUBLICATION_MAX_AGE`` seconds ago
(default 120) for the same codebook version, k and day, and waits only when there is none.
It is as protected as any: it was published for the data of that moment; it only shows
them a little later. The worker asks for the current one (``recent=False``).
"""

import hashlib
import pickle
import threading
import zlib
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import SQLAlchemyError

from pilot import clock, codes
from pilot.extensions import db
from pilot.models import DataChange, Gemeente, PublicationCache, Rol
from pilot.services.disclosure.labels import Formatter
from pilot.services.disclosure.publication import (
    Period,
    Publication,
    build_publication,
    data_version,
)
from pilot.services.errors import DomainError


@dataclass(frozen=True)
class Viewer:
    """Who looks: a role and, for a coordinator, their gemeente."""

    rol: Rol
    gemeente_id: int | None = None


def sees_exact(viewer: Viewer, gemeente_ids: tuple[int, ...]) -> bool:
    """Only a coordinator looking at exactly their own gemeente sees exact figures."""
    return (
        viewer.rol is Rol.COORDINATOR
        and viewer.gemeente_id is not None
        and tuple(gemeente_ids) == (viewer.gemeente_id,)
    )


def threshold() -> int:
    """k: counts from 1 to k-1 are small (config ``PILOT_SUPPRESSION_K``, default 5)."""
    return int(current_app.config["PILOT_SUPPRESSION_K"])


def formatter(exact: bool) -> Formatter:
    return Formatter(k=threshold(), exact=exact)


_lock = threading.Lock()
_cache: dict[tuple, Publication] = {}  # the current version's publication
_newest: Publication | None = None  # the newest this process built or loaded


def current_version(session) -> str:
    """The data version token (one row); a full ``data_version`` scan when it is missing."""
    token = session.execute(select(DataChange.versie).where(DataChange.id == 1)).scalar()
    return token or data_version(session)


def _key(session) -> tuple:
    """What the outsider publication depends on: the data version token, the codebook
    version (a code added by the beheerder is a new category; code lists have no
    triggers), k and today."""
    return (
        str(db.engine.url),
        current_version(session),
        codes.current().versie,
        threshold(),
        clock.today(),
    )


def publication_key() -> str:
    """Changes whenever the outsider publication would (data, codebook, k, day)."""
    return _shared_key(_key(db.session))


def outsider_publication(recent: bool = True) -> Publication:
    """The protected outsider figures for today's data (computed once per data version);
    with ``recent``, a recent one of an earlier version may stand in (module docstring)."""
    global _newest
    session = db.session
    key = _key(session)
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        shared_key = _shared_key(key)
        cached = _load_shared(session, shared_key)
        if cached is None and recent and (stand_in := _recent(session, key)) is not None:
            return stand_in
        if cached is None:
            gemeenten = list(session.execute(db.select(Gemeente)).scalars())
            cached = build_publication(session, gemeenten, threshold(), clock.today())
            cached.version = shared_key  # not ``data_version``: a full scan
            cached.built_at, cached.context = clock.now(), _context(key)
            _store_shared(shared_key, cached)
        _cache.clear()
        _cache[key] = cached
        _newest = _newer(_newest, cached)
    return cached


def forget_process_cache() -> None:
    """Forget this process's publications, as a fresh process would (tests, benchmarks)."""
    global _newest
    with _lock:
        _cache.clear()
        _newest = None


def _context(key: tuple) -> str:
    """What a publication depends on besides the data: database, codebook, k and day."""
    return hashlib.sha256(repr((key[0], *key[2:])).encode()).hexdigest()


def _newer(known: Publication | None, other: Publication) -> Publication:
    if known is None or known.built_at is None:
        return other
    return other if other.built_at is not None and other.built_at > known.built_at else known


def _recent(session, key: tuple) -> Publication | None:
    """The newest publication built for this context at most PILOT_PUBLICATION_MAX_AGE
    seconds ago: this process's own, else the one stored in the database."""
    global _newest
    max_age = float(current_app.config.get("PILOT_PUBLICATION_MAX_AGE", 0))
    if max_age <= 0:
        return None
    context, since = _context(key), clock.now() - timedelta(seconds=max_age)

    def usable(publication: Publication | None) -> bool:
        built_at = getattr(publication, "built_at", None)  # older pickles have no such field
        return built_at is not None and built_at >= since and publication.context == context

    if usable(_newest):
        return _newest
    stored = session.execute(
        select(PublicationCache.inhoud)
        .where(PublicationCache.aangemaakt_op >= since)
        .order_by(PublicationCache.aangemaakt_op.desc())
        .limit(1)
    ).scalar()  # storing removes the older ones: one row, but two processes may overlap
    publication = None if stored is None else _unpack(stored)
    if not usable(publication):
        return None
    _newest = _newer(_newest, publication)
    return publication


def prepare_for_viewers() -> Publication:
    """The worker's part (``jobs/maintenance.py``): today's publication built, with the
    Gi* of every map (``hotspots.table.precompute_gi``), and stored for every process."""
    from pilot.services.hotspots.table import precompute_gi

    publication = outsider_publication(recent=False)
    if not publication.gi and publication.maps:
        precompute_gi(publication)
        _store_shared(publication_key(), publication)
    return publication


def _shared_key(key: tuple) -> str:
    return hashlib.sha256(repr(key[1:]).encode()).hexdigest()


def stored_for_today() -> bool:
    """Whether the publication of the current data and day is in the database cache."""
    query = select(PublicationCache.sleutel).where(PublicationCache.sleutel == publication_key())
    return db.session.execute(query).first() is not None


def _load_shared(session, key: str) -> Publication | None:
    data = session.execute(
        select(PublicationCache.inhoud).where(PublicationCache.sleutel == key)
    ).scalar()
    return None if data is None else _unpack(data)


def _unpack(data: bytes) -> Publication:
    return pickle.loads(zlib.decompress(data))  # our own bytes (``_store_shared``)


def _store_shared(key: str, publication: Publication) -> None:
    """Keep the publication for the other processes (one row: older versions are removed)."""
    data = zlib.compress(pickle.dumps(publication, protocol=pickle.HIGHEST_PROTOCOL), 1)
    try:
        with db.engine.begin() as connection:
            connection.execute(delete(PublicationCache))  # older versions, or this one again
            connection.execute(
                insert(PublicationCache).values(sleutel=key, inhoud=data, aangemaakt_op=clock.now())
            )
    except SQLAlchemyError:  # stored by another process first, or the database is busy
        pass


def outsider_period(gemeente: Gemeente, key: str) -> Period:
    """An outsider period of ``gemeente`` by key ("P", "2025", "2025-K3"), else DomainError."""
    for period in outsider_publication().offered_periods(gemeente):
        if period.key == key:
            return period
    raise DomainError(
        "Kies een periode uit de lijst: een afgesloten kwartaal, een afgesloten jaar of de "
        f"hele pilot van {gemeente.naam}.",
        field="periode",
    )
