"""Multi-factor authentication: TOTP (RFC 6238, pyotp) and one-time recovery codes.

Enrolment happens at the first log-in: a new secret, shown as a QR code (segno, inline
SVG) and as text, is confirmed with one code. A code is accepted once (the time step is
remembered, ASVS 2.8.4), with one step of clock drift either way. Recovery codes are 125
random bits each, stored as SHA-256 (ASVS 2.6.2: enough entropy for a fast hash), each
usable once.
"""

import hashlib
import hmac
import re
import secrets

import pyotp

from pilot import audit, clock
from pilot.extensions import db
from pilot.models import RecoveryCode, User
from pilot.services import sessions

ISSUER = "Pilot 429ter"
STEP = 30
DRIFT = 1  # time steps accepted either side
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols: 5 bits each
RECOVERY_LENGTH = 25


def begin_enrolment(user: User) -> str:
    """Give ``user`` a new, not yet confirmed secret (committed) and return it."""
    user.totp_secret = pyotp.random_base32(32)
    user.mfa_actief = False
    user.totp_laatste_stap = None
    db.session.commit()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.gebruikersnaam, issuer_name=ISSUER
    )


def qr_svg(user: User) -> str:
    """The enrolment QR code as inline SVG (no image file, nothing leaves the server)."""
    import segno  # only for enrolment, not at start-up

    return segno.make(provisioning_uri(user), error="m").svg_inline(scale=5)


def grouped_secret(user: User) -> str:
    secret = user.totp_secret or ""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def verify_totp(user: User, code: str) -> bool:
    """Accept a 6-digit code once; remembers its time step (the caller commits)."""
    digits = re.sub(r"\s", "", code or "")
    if not user.totp_secret or not re.fullmatch(r"\d{6}", digits):
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now_step = int(clock.now().timestamp()) // STEP
    for step in range(now_step - DRIFT, now_step + DRIFT + 1):
        if user.totp_laatste_stap is not None and step <= user.totp_laatste_stap:
            continue
        if hmac.compare_digest(totp.generate_otp(step), digits):
            user.totp_laatste_stap = step
            return True
    return False


def confirm_enrolment(user: User, code: str) -> list[str] | None:
    """Confirm the new secret with a code; returns the recovery codes (committed)."""
    if user.mfa_actief or not verify_totp(user, code):
        return None
    user.mfa_actief = True
    audit.record("mfa_instellen", "user_account", str(user.id))
    return new_recovery_codes(user)


def _recovery_hash(code: str) -> str:
    normal = re.sub(r"[^A-Z0-9]", "", code.upper())
    return hashlib.sha256(normal.encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes (committed); the plain codes are shown once."""
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 5] for i in range(0, RECOVERY_LENGTH, 5)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_recovery_hash(codes[-1])))
    audit.record("herstelcodes_maken", "user_account", str(user.id))
    db.session.commit()
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code of ``user`` (the caller commits)."""
    row = db.session.execute(
        db.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(code or ""),
            RecoveryCode.gebruikt_op.is_(None),
        )
    ).scalar_one_or_none()
    if row is None:
        return False
    row.gebruikt_op = clock.now()
    audit.record("herstelcode_gebruiken", "user_account", str(user.id))
    return True


def unused_recovery_codes(user: User) -> int:
    return db.session.execute(
        db.select(db.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.gebruikt_op.is_(None)
        )
    ).scalar_one()


def reset(user: User) -> None:
    """Remove the user's MFA (a beheerder's reset, or the user replacing their app):
    they enrol again at the next log-in; every session of theirs ends (committed)."""
    user.totp_secret = None
    user.mfa_actief = False
    user.totp_laatste_stap = None
    db.session.execute(db.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    sessions.end_all(user.id)
    audit.record("mfa_resetten", "user_account", str(user.id))
    db.session.commit()
