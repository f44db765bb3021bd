"""Server-side sessions: a random token in the (signed) cookie, its hash in ``user_session``.

A new token at every log-in (a new session id, ASVS 3.2.1); the session ends on log-out,
on deactivation and on a password, role or MFA change of its user (every session of that
user, ASVS 3.3.1/3.3.3), after ``idle`` without a request and ``absolute`` after log-in.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import contains_eager

from pilot import clock
from pilot.extensions import db
from pilot.models import User, UserSession

TOUCH_EVERY = timedelta(seconds=60)  # write laatst_actief_op at most once a minute

# Built once: every request runs it, and building an ORM statement with its join and
# loader option cost about as much as running it.
_LIVE_SESSION = (
    select(UserSession, User)
    .join(User, User.id == UserSession.user_id)
    .outerjoin(User.gemeente)
    .options(contains_eager(User.gemeente))
    .where(UserSession.token_hash == bindparam("token_hash"))
)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User) -> str:
    """Open a session for ``user`` (committed) and return the token for the cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    db.session.commit()
    return token


@dataclass(frozen=True)
class Check:
    user: User | None
    verlopen: bool = False  # ended by a timeout (the user is told), not by log-out


def check(token: str, idle: timedelta, absolute: timedelta) -> Check:
    """The user of a live session; touches it (committed) at most once a minute.

    The session's user and their gemeente come along in the same query, so a request does
    not ask for them again (Flask-Login's user loader, the coordinator's own gemeente in
    ``access.visible_gemeente``).
    """
    found = db.session.execute(_LIVE_SESSION, {"token_hash": _hash(token)}).first()
    if found is None or found.UserSession.beeindigd_op is not None:
        return Check(None)
    row, user = found
    now = clock.now()
    if now - row.laatst_actief_op > idle or now - row.aangemaakt_op > absolute:
        row.beeindigd_op = now
        db.session.commit()
        return Check(None, verlopen=True)
    if now - row.laatst_actief_op > TOUCH_EVERY:
        row.laatst_actief_op = now
        db.session.commit()
    return Check(user)


def end(token: str) -> None:
    db.session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _hash(token), UserSession.beeindigd_op.is_(None))
        .values(beeindigd_op=clock.now())
    )


def end_all(user_id: int) -> None:
    """End every live session of the user (in the caller's transaction)."""
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.beeindigd_op.is_(None))
        .values(beeindigd_op=clock.now())
    )
