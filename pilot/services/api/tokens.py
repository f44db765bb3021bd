"""API tokens: issuing (the secret is shown once), authenticating and revoking.

Who issues what: a beheerder any token (a gemeente token for any gemeente, an evaluator or
ministerie token); a coordinator only gemeente tokens of the own gemeente. A gemeente
token reads, or reads and writes, that gemeente's records; an evaluator or ministerie token
reads only the outsider publication. A token works until its last valid day ends
(Europe/Amsterdam), until it is revoked, or until the account that issued it is
deactivated, whichever comes first.

The secret is 256 random bits behind a recognisable prefix; the database keeps only its
SHA-256 hash (a random secret of that size needs no slow or keyed hash) and the first
characters, so a list of tokens can show which is which.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select, update

from pilot import audit, clock
from pilot.extensions import db
from pilot.models import ApiToken, Gemeente, Rol, User
from pilot.services import pii
from pilot.services.errors import DomainError, NotFound

TOKEN_PREFIX = "p429_"
SHOWN_PREFIX = 12
GEMEENTE, EVALUATOR, MINISTERIE = "gemeente", "evaluator", "ministerie"
OUTSIDERS = frozenset({EVALUATOR, MINISTERIE})
SOORTEN = {
    GEMEENTE: "Systeem van een gemeente (eigen registraties)",
    EVALUATOR: "Evaluator (gepubliceerde cijfers en hotspotcellen)",
    MINISTERIE: "Ministerie (gepubliceerde cijfers en hotspotcellen)",
}
LEZEN, SCHRIJVEN = "lezen", "schrijven"
SCOPES = {LEZEN: "Alleen lezen", SCHRIJVEN: "Lezen en schrijven"}
MAX_DAYS = 365
DEFAULT_DAYS = 90
MIN_NAAM = 3
MAX_NAAM = 100


@dataclass
class TokenInput:
    naam: str
    soort: str
    scope: str
    geldig_tot: date | None
    gemeente_id: int | None = None


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


class TokenRefused(Exception):
    """The presented token does not (or no longer) give access; ``token_id`` when known."""

    def __init__(self, reden: str, token_id: int | None = None) -> None:
        super().__init__(reden)
        self.reden = reden
        self.token_id = token_id


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def expiry_of(last_day: date) -> datetime:
    """A token is valid through its last day: it expires at the next local midnight."""
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=clock.AMSTERDAM)


def _check(issuer: User, data: TokenInput) -> list[tuple[str, str]]:
    errors: list[tuple[str, str]] = []
    naam = (data.naam or "").strip()
    if len(naam) < MIN_NAAM or len(naam) > MAX_NAAM:
        errors.append(("naam", f"Geef een naam van {MIN_NAAM} tot {MAX_NAAM} tekens."))
    elif found := pii.screen(naam):
        errors.append(("naam", pii.message(found, "naam")))
    if data.soort not in SOORTEN:
        errors.append(("soort", "Kies het soort token."))
    elif issuer.role is Rol.COORDINATOR and data.soort != GEMEENTE:
        errors.append(("soort", "Een coördinator maakt alleen tokens voor de eigen gemeente."))
    if data.scope not in SCOPES:
        errors.append(("scope", "Kies wat het token mag."))
    elif data.soort in OUTSIDERS and data.scope != LEZEN:
        errors.append(("scope", "Een token voor gepubliceerde cijfers kan alleen lezen."))
    if data.soort == GEMEENTE:
        if data.gemeente_id is None or db.session.get(Gemeente, data.gemeente_id) is None:
            errors.append(("gemeente_id", "Kies de gemeente."))
        elif issuer.role is Rol.COORDINATOR and data.gemeente_id != issuer.gemeente_id:
            errors.append(
                ("gemeente_id", "Een coördinator maakt alleen tokens voor de eigen gemeente.")
            )
    today = clock.today()
    if data.geldig_tot is None:
        errors.append(("geldig_tot", "Kies tot en met welke dag het token geldig is."))
    elif data.geldig_tot < today:
        errors.append(("geldig_tot", "Deze datum ligt in het verleden."))
    elif data.geldig_tot > today + timedelta(days=MAX_DAYS):
        errors.append(("geldig_tot", f"Een token is hoogstens {MAX_DAYS} dagen geldig."))
    return errors


def issue_token(issuer: User, data: TokenInput) -> IssuedToken:
    """Create a token; raises DomainError per field. The secret is returned once."""
    if issuer.role not in (Rol.BEHEERDER, Rol.COORDINATOR):
        raise DomainError("Alleen een beheerder of coördinator maakt API-tokens.")
    if errors := _check(issuer, data):
        grouped: dict[str, list[str]] = {}
        for name, message in errors:
            grouped.setdefault(name, []).append(message)
        raise DomainError(grouped)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        naam=data.naam.strip(),
        soort=data.soort,
        gemeente_id=data.gemeente_id if data.soort == GEMEENTE else None,
        scope=data.scope,
        token_hash=hash_secret(secret),
        prefix=secret[:SHOWN_PREFIX],
        aangemaakt_door_id=issuer.id,
        verloopt_op=expiry_of(data.geldig_tot),
    )
    db.session.add(token)
    db.session.flush()
    audit.record(
        "aanmaken",
        "api_token",
        str(token.id),
        token.gemeente_id,
        soort=token.soort,
        scope=token.scope,
        verloopt_op=token.verloopt_op,
    )
    db.session.commit()
    return IssuedToken(token, secret)


def tokens_of(user: User) -> Select:
    """The tokens a user manages: a beheerder all, a coordinator the own gemeente's."""
    query = select(ApiToken).order_by(ApiToken.aangemaakt_op.desc(), ApiToken.id.desc())
    if user.role is Rol.COORDINATOR:
        return query.where(ApiToken.gemeente_id == user.gemeente_id)
    if user.role is Rol.BEHEERDER:
        return query
    return query.where(ApiToken.id.is_(None))


def get_token(user: User, token_id: int) -> ApiToken:
    """A token the user manages, else NotFound (also another gemeente's token)."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound
    if user.role is Rol.COORDINATOR and token.gemeente_id != user.gemeente_id:
        raise NotFound
    if user.role not in (Rol.BEHEERDER, Rol.COORDINATOR):
        raise NotFound
    return token


def revoke_token(user: User, token: ApiToken) -> ApiToken:
    """Revoke a token: it stops working at once and stays listed as revoked."""
    if token.ingetrokken_op is not None:
        raise DomainError("Dit token is al ingetrokken.")
    token.ingetrokken_op = clock.now()
    token.ingetrokken_door_id = user.id
    audit.record("intrekken", "api_token", str(token.id), token.gemeente_id, soort=token.soort)
    db.session.commit()
    return token


def status_of(token: ApiToken, now: datetime | None = None) -> str:
    now = now or clock.now()
    if token.ingetrokken_op is not None:
        return "ingetrokken"
    if token.verloopt_op <= now:
        return "verlopen"
    return "actief"


def authenticate(secret: str) -> ApiToken:
    """The active token with this secret; raises TokenRefused otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise TokenRefused("onbekend")
    token = db.session.execute(
        select(ApiToken).where(ApiToken.token_hash == hash_secret(secret))
    ).scalar_one_or_none()
    if token is None:
        raise TokenRefused("onbekend")
    if status_of(token) != "actief":
        raise TokenRefused(status_of(token), token.id)
    if not token.aangemaakt_door.actief:
        raise TokenRefused("uitgever gedeactiveerd", token.id)
    return token


def mark_used(token_id: int) -> None:
    """Note the moment of use (the caller commits, with the call's audit event)."""
    db.session.execute(
        update(ApiToken).where(ApiToken.id == token_id).values(laatst_gebruikt_op=clock.now())
    )
