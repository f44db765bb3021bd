"""Who sees exact figures, and the outsider publication everyone else reads.

Exact counts, exact points, free periods and every filter are only for a gemeente's own
coordinator looking at that gemeente (DOMAIN.md). Everyone else (beheerder, evaluator,
ministerie) is an outsider: they read the protected publication (``publication.py``),
which offers completed quarters, closed years and the whole pilot, nothing finer.

The publication depends only on the data and on today's date, so it is cached per data
version: every outsider output of one moment (reports, maps, downloads, the dataset) is
cut from the same protected tables.
"""

import threading
from dataclasses import dataclass

from flask import current_app

from pilot import clock
from pilot.extensions import db
from pilot.models import Gemeente, Rol
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
_cache: dict[tuple, Publication] = {}


def outsider_publication() -> Publication:
    """The protected outsider figures for today's data (computed once per data version)."""
    session = db.session
    version = data_version(session)
    key = (str(db.engine.url), version, threshold(), clock.today())
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            gemeenten = list(session.execute(db.select(Gemeente)).scalars())
            cached = build_publication(session, gemeenten, threshold(), clock.today())
            cached.version = version
            _cache.clear()
            _cache[key] = cached
    return cached


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
