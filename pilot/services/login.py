"""Log-in: password check with lockout and back-off, the same work for every account.

Failed attempts are counted per account name as typed (a keyed hash in ``login_failure``),
whether the account exists or not, so an unknown, an inactive and an active account take
the same path: one scrypt check, one failure row, one audit event (ASVS 2.2.1, 3.x
enumeration). After ``THRESHOLD`` failures in a row the name is blocked for one minute,
doubling with every further failure up to an hour; a beheerder can lift it. A wrong MFA
code counts as a failure of the same name. Failed attempts are in the audit trail without
the name typed (it may be a password typed in the wrong field).
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from pilot import audit, clock
from pilot.extensions import db
from pilot.models import LoginFailure, User
from pilot.services.passwords import PASSWORD_METHOD

THRESHOLD = 5
FIRST_BLOCK = timedelta(minutes=1)
MAX_BLOCK = timedelta(hours=1)


@dataclass(frozen=True)
class Attempt:
    user: User | None
    geblokkeerd_tot: datetime | None = None

    @property
    def minuten(self) -> int:
        if self.geblokkeerd_tot is None:
            return 0
        return max(1, -(-int((self.geblokkeerd_tot - clock.now()).total_seconds()) // 60))


def normalise(name: str) -> str:
    return (name or "").strip().lower()[:80]


def failure_key(name: str) -> str:
    key = current_app.config["PSEUDONYM_KEY"].encode()
    return hmac.new(key, b"login|" + normalise(name).encode(), hashlib.sha256).hexdigest()


def _failure(name: str) -> LoginFailure:
    key = failure_key(name)
    row = db.session.get(LoginFailure, key)
    if row is None:
        row = LoginFailure(sleutel=key, aantal=0, laatste_op=clock.now())
        db.session.add(row)
    return row


def blocked_until(name: str) -> datetime | None:
    row = db.session.get(LoginFailure, failure_key(name))
    if row is not None and row.geblokkeerd_tot is not None and row.geblokkeerd_tot > clock.now():
        return row.geblokkeerd_tot
    return None


def authenticate(name: str, password: str) -> Attempt:
    """Check a user name and password; committed. ``Attempt.user`` is None on failure."""
    user = db.session.execute(
        db.select(User).where(User.gebruikersnaam == normalise(name))
    ).scalar_one_or_none()
    stored = user.password_hash if user is not None else _dummy_hash()
    password_ok = check_password_hash(stored, password or "")  # always: the same work
    until = blocked_until(name)
    if until is not None:
        record_failure(name, user, "geblokkeerd")
        return Attempt(None, until)
    if user is not None and user.actief and password_ok:
        return Attempt(user)
    return Attempt(None, record_failure(name, user, "wachtwoord"))


def record_failure(name: str, user: User | None, reden: str) -> datetime | None:
    """Count a failed attempt (password or MFA code), audit it, block after THRESHOLD."""
    row = _failure(name)
    now = clock.now()
    row.aantal = (row.aantal or 0) + 1
    row.laatste_op = now
    if row.aantal >= THRESHOLD and reden != "geblokkeerd":
        block = min(FIRST_BLOCK * 2 ** (row.aantal - THRESHOLD), MAX_BLOCK)
        row.geblokkeerd_tot = now + block
    audit.record(
        "inloggen_mislukt",
        "user_account",
        str(user.id) if user is not None else None,
        reden=reden,
        poging=row.aantal,
    )
    db.session.commit()
    return row.geblokkeerd_tot if row.geblokkeerd_tot and row.geblokkeerd_tot > now else None


def clear_failures(name: str) -> None:
    """Forget the failures of a name (a successful log-in, or a beheerder lifting a block)."""
    db.session.execute(db.delete(LoginFailure).where(LoginFailure.sleutel == failure_key(name)))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return generate_password_hash("dummy-password-for-timing", method=PASSWORD_METHOD)
