"""Unbound Flask extensions, initialised in ``create_app`` (no circular imports)."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from pilot.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
# Throttling: limits are declared on the views; storage from RATELIMIT_STORAGE_URI
# (memory:// for one process, redis://… when several app servers share the limits).
limiter = Limiter(key_func=get_remote_address, default_limits=[])
