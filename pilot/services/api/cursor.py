"""Cursor (keyset) pagination for the API's lists.

A page ends with a cursor naming the sort key of its last row; the next page starts after
that key. Rows added or withdrawn meanwhile neither repeat nor go missing, and a deep page
costs as much as the first. The cursor is opaque to clients (URL-safe base64 of the key)
and reveals nothing beyond what the page itself showed; a cursor of another list or a
tampered one is refused with a Dutch message.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, and_, or_
from sqlalchemy.sql.elements import ColumnElement

from pilot.extensions import db

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
_PARSE = {
    "datetime": datetime.fromisoformat,
    "date": date.fromisoformat,
    "time": time.fromisoformat,
    "int": int,
}


class CursorError(ValueError):
    """A cursor that this list did not give out."""


@dataclass(frozen=True)
class Key:
    """The sort key of a list: its columns (descending, the last one unique) and types."""

    name: str
    columns: tuple[ColumnElement, ...]
    kinds: tuple[str, ...]

    def encode(self, values: Sequence[Any]) -> str:
        plain = [v.isoformat() if isinstance(v, date | time) else v for v in values]
        raw = json.dumps([self.name, *plain], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> tuple[Any, ...]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            name, *values = json.loads(raw)
            if name != self.name or len(values) != len(self.kinds):
                raise CursorError
            parsed = tuple(
                _PARSE[kind](value) for kind, value in zip(self.kinds, values, strict=True)
            )
        except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
            raise CursorError from exc
        if any(isinstance(v, datetime) and v.tzinfo is None for v in parsed):
            raise CursorError
        return parsed

    def after(self, values: Sequence[Any]) -> ColumnElement:
        """Rows that come after ``values`` in this (descending) order."""
        return _after(self.columns, tuple(values))


def _after(columns: Sequence[ColumnElement], values: Sequence[Any]) -> ColumnElement:
    first, *rest = columns
    if not rest:
        return first < values[0]
    return or_(first < values[0], and_(first == values[0], _after(rest, values[1:])))


@dataclass(frozen=True)
class Page:
    rows: list
    volgende: str | None


def keyset_page(query: Select, key: Key, cursor: str | None, limit: int, row_key) -> Page:
    """One page of ``query`` (already ordered by ``key``, descending); ``row_key(row)``
    gives a row's key values. Raises CursorError for a cursor this list did not give out."""
    if cursor:
        query = query.where(key.after(key.decode(cursor)))
    rows = list(db.session.execute(query.limit(limit + 1)).scalars())
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, key.encode(row_key(rows[-1])) if more and rows else None)


def offset_cursor(name: str, offset: int) -> str:
    """A cursor for a list that is computed whole (the publication's rows)."""
    return Key(name, (), ("int",)).encode([offset])


def offset_of(name: str, cursor: str | None) -> int:
    if not cursor:
        return 0
    (offset,) = Key(name, (), ("int",)).decode(cursor)
    if offset < 0:
        raise CursorError
    return offset
