"""Registering and finding boa's."""

from pilot.extensions import db
from pilot.models import Boa, Gemeente


def boas_of(gemeente: Gemeente):
    """Select the gemeente's boa's, active first."""
    return (
        db.select(Boa).where(Boa.gemeente_id == gemeente.id).order_by(Boa.actief.desc(), Boa.code)
    )
