"""Typed SQLAlchemy models, one module per aggregate."""

from pilot.models.api import ApiIdempotency, ApiToken
from pilot.models.audit import AuditEvent
from pilot.models.base import Base, UTCDateTime, utcnow
from pilot.models.boa import Boa, BoaStatus
from pilot.models.cache import DataChange, PublicationCache
from pilot.models.codelijst import CodeboekVersie, Codelijst, CodelijstCode
from pilot.models.extract_grant import ExtractGrant
from pilot.models.gemeente import CbsLijstGemeente, Gemeente
from pilot.models.incident import Incident
from pilot.models.inzet import Dienst, PolitieCijfer
from pilot.models.job import ImportBatch, ImportUpload, Job, StoredFile
from pilot.models.retention import FrozenCell, FrozenLeaf, FrozenQuarter
from pilot.models.telling import IncidentTelling
from pilot.models.throttle import ThrottleCounter
from pilot.models.user import LoginFailure, RecoveryCode, Rol, User, UserSession

__all__ = [
    "ApiIdempotency",
    "ApiToken",
    "AuditEvent",
    "Base",
    "Boa",
    "BoaStatus",
    "CbsLijstGemeente",
    "CodeboekVersie",
    "Codelijst",
    "CodelijstCode",
    "DataChange",
    "Dienst",
    "ExtractGrant",
    "FrozenCell",
    "FrozenLeaf",
    "FrozenQuarter",
    "Gemeente",
    "ImportBatch",
    "ImportUpload",
    "Incident",
    "IncidentTelling",
    "Job",
    "LoginFailure",
    "PolitieCijfer",
    "PublicationCache",
    "RecoveryCode",
    "Rol",
    "StoredFile",
    "ThrottleCounter",
    "UTCDateTime",
    "User",
    "UserSession",
    "utcnow",
]
