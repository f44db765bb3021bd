"""Unbound Flask extensions, initialised in ``create_app`` (no circular imports)."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from pilot.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
# Throttling: limits are declared on the views; storage from RATELIMIT_STORAGE_URI
# (pilot-db://, the app's database, by default; redis://… also shares the counts between
# app servers; memory:// would count per process).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Heavy work (a PDF, the dataset, an upload, a download of cells) per logged-in user.
HEAVY_LIMITS = "30 per hour"


def per_user() -> str:
    from flask_login import current_user

    return f"user:{current_user.id}" if current_user.is_authenticated else get_remote_address()
