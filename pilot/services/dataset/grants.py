"""Grants of the finer extract: a beheerder grants, lists and revokes; an evaluator uses.

A grant names one evaluator, a purpose and the last day it is valid. It is active until
that day ends or a beheerder revokes it. Grants are never deleted: creating and revoking
are audited rows, each download an audit event with the grant's id.
"""

from datetime import date, timedelta

from pilot import clock
from pilot.extensions import db
from pilot.models import ExtractGrant, Rol, User
from pilot.services import pii
from pilot.services.errors import DomainError, NotFound

MAX_DAYS = 366  # a grant runs at most a year; a new purpose needs a new grant
MIN_PURPOSE = 10


class GrantInactive(Exception):
    """The grant exists and is the user's, but it has expired or was revoked (403)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def list_grants():
    """Every grant, the active ones first, newest first within."""
    return db.select(ExtractGrant).order_by(
        ExtractGrant.ingetrokken_op.is_not(None), ExtractGrant.verleend_op.desc()
    )


def evaluators():
    """The active evaluators, who may receive a grant."""
    return (
        db.select(User)
        .where(User.rol == Rol.EVALUATOR.value, User.actief.is_(True))
        .order_by(User.naam)
    )


def create_grant(user_id: int | None, doel: str, geldig_tot: date | None, by: User) -> ExtractGrant:
    """Grant the extract to an active evaluator; raises DomainError per field."""
    errors: dict[str, list[str]] = {}
    user = db.session.get(User, user_id) if user_id else None
    if user is None or user.role is not Rol.EVALUATOR or not user.actief:
        errors["user_id"] = ["Kies een actieve evaluator."]
    doel = (doel or "").strip()
    if len(doel) < MIN_PURPOSE:
        errors["doel"] = [f"Beschrijf het doel in minstens {MIN_PURPOSE} tekens."]
    elif len(doel) > 500:
        errors["doel"] = ["Het doel mag hoogstens 500 tekens lang zijn."]
    elif kinds := pii.screen(doel):
        errors["doel"] = [pii.message(kinds, "omschrijving van het doel")]
    today = clock.today()
    if geldig_tot is None:
        errors["geldig_tot"] = ["Vul de laatste dag in waarop de toestemming geldt."]
    elif geldig_tot < today:
        errors["geldig_tot"] = ["De einddatum ligt in het verleden."]
    elif geldig_tot > today + timedelta(days=MAX_DAYS):
        errors["geldig_tot"] = ["Een toestemming geldt hoogstens een jaar."]
    if errors:
        raise DomainError(errors)
    grant = ExtractGrant(user_id=user.id, doel=doel, geldig_tot=geldig_tot, verleend_door_id=by.id)
    db.session.add(grant)
    db.session.commit()
    return grant


def get_grant(grant_id: int) -> ExtractGrant:
    grant = db.session.get(ExtractGrant, grant_id)
    if grant is None:
        raise NotFound()
    return grant


def revoke_grant(grant_id: int, by: User) -> ExtractGrant:
    """Revoke a grant from now on; refused when it was revoked already."""
    grant = get_grant(grant_id)
    if grant.ingetrokken_op is not None:
        raise DomainError("Deze toestemming is al ingetrokken.")
    grant.ingetrokken_op = clock.now()
    grant.ingetrokken_door_id = by.id
    db.session.commit()
    return grant


def active_grants(user: User) -> list[ExtractGrant]:
    """The user's grants that are active today, soonest to end first."""
    grants = db.session.execute(
        db.select(ExtractGrant)
        .where(ExtractGrant.user_id == user.id, ExtractGrant.ingetrokken_op.is_(None))
        .order_by(ExtractGrant.geldig_tot)
    ).scalars()
    today = clock.today()
    return [grant for grant in grants if grant.active_on(today)]


def usable_grant(grant_id: int, user: User) -> ExtractGrant:
    """The user's own grant, if active. Another user's grant does not exist for them
    (NotFound); an own grant that expired or was revoked raises GrantInactive."""
    grant = db.session.get(ExtractGrant, grant_id)
    if grant is None or grant.user_id != user.id:
        raise NotFound()
    if grant.ingetrokken_op is not None:
        raise GrantInactive(
            f"Toestemming {grant.id} is ingetrokken; u kunt dit extract niet meer downloaden."
        )
    if not grant.active_on(clock.today()):
        raise GrantInactive(
            f"Toestemming {grant.id} is verlopen op {grant.geldig_tot:%d-%m-%Y}; "
            "vraag de beheerder om een nieuwe toestemming."
        )
    return grant
