"""One getter for "record X of gemeente G": boa's, incidents and diensten.

A record of another gemeente is as absent as one that does not exist: both raise
``NotFound``, which the app answers with 404 (``pilot.errors``), so an id never reveals
that data exists elsewhere.
"""

from typing import Protocol, TypeVar

from pilot.extensions import db
from pilot.models import Gemeente
from pilot.services.errors import NotFound


class _OfGemeente(Protocol):
    gemeente_id: int


Record = TypeVar("Record", bound=_OfGemeente)


def get_of_gemeente(model: type[Record], gemeente: Gemeente, record_id: int) -> Record:
    """The ``model`` row with ``record_id`` if it belongs to ``gemeente``, else NotFound."""
    record = db.session.get(model, record_id)
    if record is None or record.gemeente_id != gemeente.id:
        raise NotFound
    return record
