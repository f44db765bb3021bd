"""Optimistic locking: a commit that lost a race becomes a Conflict the view can explain."""

from sqlalchemy.orm.exc import StaleDataError

from pilot.extensions import db
from pilot.services.errors import Conflict


def commit_or_conflict() -> None:
    """Commit; if another session changed the row first (version mismatch), roll back."""
    try:
        db.session.commit()
    except StaleDataError as exc:
        db.session.rollback()
        raise Conflict from exc
