"""Users and their roles (see DOMAIN.md, 'Who uses it')."""

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.gemeente import Gemeente


class Rol(StrEnum):
    BEHEERDER = "beheerder"
    COORDINATOR = "coordinator"
    EVALUATOR = "evaluator"
    MINISTERIE = "ministerie"

    @property
    def label(self) -> str:
        return ROL_LABELS[self]


ROL_LABELS = {
    Rol.BEHEERDER: "Beheerder (programmateam)",
    Rol.COORDINATOR: "Coördinator gemeente",
    Rol.EVALUATOR: "Evaluator",
    Rol.MINISTERIE: "Ministerie (OCW/JenV)",
}


class User(UserMixin, Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "(rol = 'coordinator') = (gemeente_id IS NOT NULL)", name="coordinator_gemeente"
        ),
        CheckConstraint(
            "rol IN ('beheerder', 'coordinator', 'evaluator', 'ministerie')", name="rol"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(80), unique=True)
    naam: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    rol: Mapped[str] = mapped_column(String(20))
    gemeente_id: Mapped[int | None] = mapped_column(ForeignKey("gemeente.id"), index=True)
    actief: Mapped[bool] = mapped_column(Boolean, default=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    laatst_ingelogd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A password set by a beheerder (or the CLI with --tijdelijk) must be changed first.
    wachtwoord_tijdelijk: Mapped[bool] = mapped_column(Boolean, default=False)
    # TOTP (RFC 6238): the base32 secret, whether enrolment was confirmed with a code, and
    # the last time step accepted (a code is accepted once: ASVS 2.8.4).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    mfa_actief: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_laatste_stap: Mapped[int | None] = mapped_column(Integer)

    gemeente: Mapped[Gemeente | None] = relationship()

    @property
    def role(self) -> Rol:
        return Rol(self.rol)

    @property
    def is_active(self) -> bool:
        return self.actief

    def __repr__(self) -> str:
        return f"<User {self.gebruikersnaam} {self.rol}>"


class UserSession(Base):
    """A server-side session: the cookie carries a random token, the table its hash.

    Logout, deactivation and a password, role or MFA change end every session of the user
    (``beeindigd_op``); ``laatst_actief_op`` drives the idle timeout, ``aangemaakt_op`` the
    absolute one.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    aangemaakt_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    laatst_actief_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    beeindigd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(Base):
    """A one-time MFA recovery code, stored as SHA-256 of a 125-bit random code."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    gebruikt_op: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginFailure(Base):
    """Failed log-ins per account name (keyed hash), known account or not: the lockout.

    Keyed on the name typed, so an unknown name costs the same work as a real one and the
    lockout answers the same way for both.
    """

    __tablename__ = "login_failure"

    sleutel: Mapped[str] = mapped_column(String(64), primary_key=True)
    aantal: Mapped[int] = mapped_column(Integer, default=0)
    laatste_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    geblokkeerd_tot: Mapped[datetime | None] = mapped_column(UTCDateTime)
