"""Creating and managing users: the beheerder's changes and everyone's own password.

A password a beheerder sets (a new user, a reset) is temporary: the user must replace it
at the next log-in. A change of password, role, gemeente, activity or MFA ends every
session of the user. Password rules: ``pilot.services.passwords``.
"""

from werkzeug.security import check_password_hash

from pilot import audit, clock
from pilot.extensions import db
from pilot.models import Gemeente, Rol, User
from pilot.services import login, passwords, sessions
from pilot.services.errors import DomainError, NotFound
from pilot.services.passwords import PASSWORD_METHOD, hash_password

MIN_PASSWORD_LENGTH = passwords.MIN_LENGTH
USERNAME_MISSING = "Vul een gebruikersnaam in."
__all__ = ["PASSWORD_METHOD", "hash_password"]


def _gemeente_errors(rol: Rol, gemeente: Gemeente | None, errors: dict[str, list[str]]) -> None:
    if rol is Rol.COORDINATOR and gemeente is None:
        errors.setdefault("gemeente", []).append("Een coördinator hoort bij een gemeente.")
    if rol is not Rol.COORDINATOR and gemeente is not None:
        errors.setdefault("gemeente", []).append(
            "Alleen een coördinator hoort bij één gemeente; laat dit veld leeg."
        )


def create_user(
    gebruikersnaam: str,
    naam: str,
    password: str,
    rol: Rol,
    gemeente: Gemeente | None = None,
    tijdelijk: bool = True,
) -> User:
    """Validate and store a new user; raises DomainError with Dutch messages per field.

    The password is temporary unless ``tijdelijk`` is False (the operator's own first
    beheerder, created with the CLI).
    """
    errors: dict[str, list[str]] = {}
    gebruikersnaam = gebruikersnaam.strip().lower()
    if not gebruikersnaam:
        errors.setdefault("gebruikersnaam", []).append(USERNAME_MISSING)
    elif db.session.execute(
        db.select(User.id).where(User.gebruikersnaam == gebruikersnaam)
    ).first():
        errors.setdefault("gebruikersnaam", []).append("Deze gebruikersnaam bestaat al.")
    for message in passwords.problems(password, (gebruikersnaam, naam)):
        errors.setdefault("wachtwoord", []).append(message)
    _gemeente_errors(rol, gemeente, errors)
    if errors:
        raise DomainError(errors)
    user = User(
        gebruikersnaam=gebruikersnaam,
        naam=naam.strip() or gebruikersnaam,
        password_hash=hash_password(password),
        rol=rol.value,
        gemeente=gemeente,
        actief=True,
        wachtwoord_tijdelijk=tijdelijk,
    )
    db.session.add(user)
    db.session.commit()
    return user


def update_user(user: User, naam: str, rol: Rol, gemeente: Gemeente | None) -> User:
    """Change display name, role and gemeente (audited); a new role ends the sessions."""
    errors: dict[str, list[str]] = {}
    _gemeente_errors(rol, gemeente, errors)
    if errors:
        raise DomainError(errors)
    rights_change = user.rol != rol.value or user.gemeente_id != (gemeente.id if gemeente else None)
    user.naam = naam.strip() or user.gebruikersnaam
    user.rol = rol.value
    user.gemeente = gemeente
    if rights_change:
        sessions.end_all(user.id)
    db.session.commit()
    return user


def change_own_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password is asked again (ASVS 2.1.5)."""
    if not check_password_hash(user.password_hash, current or ""):
        raise DomainError("Het huidige wachtwoord klopt niet.", field="huidig")
    if check_password_hash(user.password_hash, new or ""):
        raise DomainError("Kies een ander wachtwoord dan het huidige.", field="nieuw")
    problems = passwords.problems(new or "", (user.gebruikersnaam, user.naam))
    if problems:
        raise DomainError({"nieuw": problems})
    _set_password(user, new, tijdelijk=False)
    audit.record("wachtwoord_wijzigen", "user_account", str(user.id))
    db.session.commit()


def reset_password(user: User, temporary: str) -> None:
    """A beheerder's reset: a temporary password, to be changed at the next log-in."""
    problems = passwords.problems(temporary or "", (user.gebruikersnaam, user.naam))
    if problems:
        raise DomainError({"wachtwoord": problems})
    _set_password(user, temporary, tijdelijk=True)
    audit.record("wachtwoord_resetten", "user_account", str(user.id))
    db.session.commit()


def _set_password(user: User, password: str, tijdelijk: bool) -> None:
    user.password_hash = hash_password(password)
    user.wachtwoord_tijdelijk = tijdelijk
    sessions.end_all(user.id)


def lift_lockout(user: User) -> None:
    """A beheerder lifts the lockout of a user after too many failed log-ins."""
    login.clear_failures(user.gebruikersnaam)
    audit.record("blokkade_opheffen", "user_account", str(user.id))
    db.session.commit()


def mark_logged_in(user: User) -> None:
    user.laatst_ingelogd_op = clock.now()
    login.clear_failures(user.gebruikersnaam)
    audit.record("inloggen", "user_account", str(user.id))
    db.session.commit()


def set_active(user: User, actief: bool, acting_user_id: int | None = None) -> User:
    """(De)activate a user; nobody can deactivate themself (and so lock everyone out)."""
    if not actief and acting_user_id is not None and user.id == acting_user_id:
        raise DomainError("U kunt uw eigen account niet deactiveren.")
    user.actief = actief
    sessions.end_all(user.id)
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
