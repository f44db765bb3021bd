"""Creating and managing users."""

from functools import lru_cache

from werkzeug.security import check_password_hash, generate_password_hash

from pilot import clock
from pilot.extensions import db
from pilot.models import Gemeente, Rol, User
from pilot.services.errors import DomainError, NotFound

MIN_PASSWORD_LENGTH = 12
USERNAME_MISSING = "Vul een gebruikersnaam in."
# scrypt (werkzeug's default) is memory-hard; the parameters are werkzeug's current ones.
PASSWORD_METHOD = "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def create_user(
    gebruikersnaam: str,
    naam: str,
    password: str,
    rol: Rol,
    gemeente: Gemeente | None = None,
) -> User:
    """Validate and store a new user; raises DomainError with Dutch messages per field."""
    errors: dict[str, list[str]] = {}
    gebruikersnaam = gebruikersnaam.strip().lower()
    if not gebruikersnaam:
        errors.setdefault("gebruikersnaam", []).append(USERNAME_MISSING)
    elif db.session.execute(
        db.select(User.id).where(User.gebruikersnaam == gebruikersnaam)
    ).first():
        errors.setdefault("gebruikersnaam", []).append("Deze gebruikersnaam bestaat al.")
    if len(password) < MIN_PASSWORD_LENGTH:
        errors.setdefault("wachtwoord", []).append(
            f"Het wachtwoord moet minstens {MIN_PASSWORD_LENGTH} tekens lang zijn."
        )
    if rol is Rol.COORDINATOR and gemeente is None:
        errors.setdefault("gemeente", []).append("Een coördinator hoort bij een gemeente.")
    if rol is not Rol.COORDINATOR and gemeente is not None:
        errors.setdefault("gemeente", []).append(
            "Alleen een coördinator hoort bij één gemeente; laat dit veld leeg."
        )
    if errors:
        raise DomainError(errors)
    user = User(
        gebruikersnaam=gebruikersnaam,
        naam=naam.strip() or gebruikersnaam,
        password_hash=hash_password(password),
        rol=rol.value,
        gemeente=gemeente,
        actief=True,
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(gebruikersnaam: str, password: str) -> User | None:
    """The active user with these credentials, or None (no hint which part was wrong)."""
    user = db.session.execute(
        db.select(User).where(User.gebruikersnaam == gebruikersnaam.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        check_password_hash(_dummy_hash(), password)  # same work either way: no timing oracle
        return None
    if not user.actief or not check_password_hash(user.password_hash, password):
        return None
    return user


def mark_logged_in(user: User) -> None:
    from pilot import audit

    user.laatst_ingelogd_op = clock.now()
    audit.record("inloggen", "user_account", str(user.id))
    db.session.commit()


def set_active(user: User, actief: bool, acting_user_id: int | None = None) -> User:
    """(De)activate a user; nobody can deactivate themself (and so lock everyone out)."""
    if not actief and acting_user_id is not None and user.id == acting_user_id:
        raise DomainError("U kunt uw eigen account niet deactiveren.")
    user.actief = actief
    db.session.commit()
    return user


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound
    return user


def list_users(rol: Rol | None = None):
    """Select users, optionally of one role, ordered by role and user name."""
    query = db.select(User).order_by(User.rol, User.gebruikersnaam)
    if rol is not None:
        query = query.where(User.rol == rol.value)
    return query


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash("dummy-password-for-timing", method=PASSWORD_METHOD)
