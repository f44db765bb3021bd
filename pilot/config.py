"""Configuration: defaults, the environment and per-instance secrets.

Read when ``create_app`` runs, never at import time. Secrets come from the environment
(``PILOT_SECRET_KEY``, ``PILOT_PSEUDONYM_KEY``) or from files in the instance folder that
are generated on first run. In production mode (``PILOT_PRODUCTION=1``) ``check_production``
refuses to start with keys from the instance folder (a backup of it beside the SQLite file
would let anyone brute-force the keyed hashes), keys shorter than 32 bytes, equal session
and pseudonym keys, or debug mode.
"""

import os
import secrets
from pathlib import Path

from flask.helpers import get_debug_flag

# The report maps' light basemap: PDOK's grey BRT tiles in RD New ({z}/{x}/{y})
PDOK_GRIJS_RD = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:28992/{z}/{x}/{y}.png"
)


SECRET_FILES = {
    "SECRET_KEY": ("PILOT_SECRET_KEY", "secret_key"),
    "PSEUDONYM_KEY": ("PILOT_PSEUDONYM_KEY", "pseudonym_key"),
}


MIN_KEY_BYTES = 32


class ConfigurationError(RuntimeError):
    """The app cannot start safely with this configuration."""


def default_config(instance_path: str) -> dict:
    database = Path(instance_path) / "pilot.sqlite3"
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "PILOT_SUPPRESSION_K": 5,
        "PILOT_BOUNDARY_TOLERANCE_M": 250.0,
        "PILOT_PAGE_SIZE": 50,
        "PILOT_PRODUCTION": False,
        "PILOT_SESSION_IDLE_MINUTES": 30,
        "PILOT_SESSION_MAX_HOURS": 12,
        "RATELIMIT_STORAGE_URI": "pilot-db://",  # shared by all servers; or redis://…
        "RATELIMIT_HEADERS_ENABLED": True,
        "PILOT_PDOK_LOCATIESERVER_URL": "https://api.pdok.nl/bzk/locatieserver/search/v3_1",
        "PILOT_CONTACT": "het programmateam van de pilot (via de coördinator van uw gemeente)",
        "PILOT_API_LIMIT_LEZEN": "600 per minute",
        "PILOT_API_LIMIT_SCHRIJVEN": "120 per minute",
        "PILOT_API_LIMIT_WEIGERINGEN": "20 per minute",
        # WMTS tiles in RD New for the report maps ({z}/{x}/{y}); empty: no basemap
        "PILOT_BASEMAP_URL": PDOK_GRIJS_RD,
        # Background jobs (issue 16): the queue (None: derived from the database, see
        # pilot.services.jobs.queue) and the sizes above which work goes to the worker.
        "PILOT_QUEUE_URL": None,
        "PILOT_JOB_IMPORT_ROWS": 2_000,
        # An uploaded file above this size (about 2,000 CSV rows) is checked on the worker.
        "PILOT_JOB_PREVIEW_BYTES": 256 * 1024,
        "PILOT_JOB_REPORT_INCIDENTS": 20_000,
        "PILOT_JOB_DATASET_INCIDENTS": 20_000,
        "PILOT_JOB_PURGE_INCIDENTS": 20_000,
        "PILOT_JSON_LOGS": False,
        # The worker rebuilds the outsider publication after a data change at most once per
        # this many seconds: under a stream of writes it would otherwise rebuild non-stop,
        # taking a core from the app servers (meanwhile a recent one stands in, see below).
        "PILOT_PUBLICATION_MIN_INTERVAL": 60,
        # While the data keep changing, a viewer gets the newest outsider publication built at
        # most this many seconds ago instead of waiting for one of their own (0: never).
        "PILOT_PUBLICATION_MAX_AGE": 120,
        # The job worker runs at a lower CPU priority than the app servers: an import or a
        # report uses the cores only as far as the users' requests leave them free.
        "PILOT_WORKER_NICE": 10,
    }


def from_environment() -> dict:
    """Settings the environment overrides; only those that are set."""
    config: dict = {}
    if url := os.environ.get("DATABASE_URL"):
        if url.startswith("postgres://"):
            url = "postgresql://" + url.removeprefix("postgres://")
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        config["SQLALCHEMY_DATABASE_URI"] = url
    if os.environ.get("PILOT_PRODUCTION", "").lower() in {"1", "true", "ja"}:
        config["PILOT_PRODUCTION"] = True
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
        config["SESSION_COOKIE_NAME"] = "__Host-sessie"  # Secure, Path=/, no Domain
    for name in (
        "PILOT_PDOK_LOCATIESERVER_URL",
        "PILOT_CONTACT",
        "PILOT_API_LIMIT_LEZEN",
        "PILOT_API_LIMIT_SCHRIJVEN",
        "PILOT_API_LIMIT_WEIGERINGEN",
    ):
        if value := os.environ.get(name):
            config[name] = value
    if "PILOT_BASEMAP_URL" in os.environ:
        config["PILOT_BASEMAP_URL"] = os.environ["PILOT_BASEMAP_URL"]
    if os.environ.get("PILOT_JSON_LOGS", "").lower() in {"1", "true", "ja"}:
        config["PILOT_JSON_LOGS"] = True
    if value := os.environ.get("PILOT_QUEUE_URL"):
        config["PILOT_QUEUE_URL"] = value
    for name in (
        "IMPORT_ROWS",
        "PREVIEW_BYTES",
        "REPORT_INCIDENTS",
        "DATASET_INCIDENTS",
        "PURGE_INCIDENTS",
    ):
        if value := os.environ.get(f"PILOT_JOB_{name}"):
            config[f"PILOT_JOB_{name}"] = int(value)
    for name in ("PILOT_SUPPRESSION_K", "PILOT_BOUNDARY_TOLERANCE_M"):
        if value := os.environ.get(name):
            config[name] = float(value) if "TOLERANCE" in name else int(value)
    for name in (
        "PILOT_SESSION_IDLE_MINUTES",
        "PILOT_SESSION_MAX_HOURS",
        "PILOT_PUBLICATION_MIN_INTERVAL",
        "PILOT_PUBLICATION_MAX_AGE",
        "PILOT_WORKER_NICE",
    ):
        if value := os.environ.get(name):
            config[name] = int(value)
    if value := os.environ.get("PILOT_RATELIMIT_STORAGE"):
        config["RATELIMIT_STORAGE_URI"] = value
    return config


def load_secrets(config: dict, instance_path: str) -> None:
    """Fill SECRET_KEY and PSEUDONYM_KEY from the environment or the instance folder.

    Outside production a missing key is generated once into the instance folder (mode 0600)
    and reused on every later start; in production a missing key stops the app.
    """
    for setting, (env_name, file_name) in SECRET_FILES.items():
        if config.get(setting):
            continue
        if value := os.environ.get(env_name):
            config[setting] = value
            continue
        path = Path(instance_path) / file_name
        if config.get("PILOT_PRODUCTION"):
            raise ConfigurationError(
                f"{env_name} ontbreekt: zet deze variabele voordat de app in productie start "
                "(sleutels uit de instance-map worden in productie niet gebruikt)."
            )
        if path.exists():
            config[setting] = path.read_text().strip()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            value = secrets.token_hex(32)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(value)
            config[setting] = value


def check_production(config: dict) -> None:
    """Refuse a production start with weak or shared keys or with debug on."""
    if not config.get("PILOT_PRODUCTION"):
        return
    problems = []
    for setting in SECRET_FILES:
        if len(str(config.get(setting) or "").encode()) < MIN_KEY_BYTES:
            problems.append(f"{setting} is korter dan {MIN_KEY_BYTES} bytes")
    if config.get("SECRET_KEY") == config.get("PSEUDONYM_KEY"):
        problems.append("SECRET_KEY en PSEUDONYM_KEY zijn gelijk")
    if config.get("DEBUG") or get_debug_flag():
        problems.append("debugmodus staat aan (FLASK_DEBUG)")
    if problems:
        raise ConfigurationError("De app start niet in productie: " + "; ".join(problems) + ".")


def create_private_sqlite(uri: str) -> None:
    """Create the SQLite file with mode 0600 before SQLAlchemy opens it (default 0644)."""
    if not uri.startswith("sqlite:///") or uri == "sqlite:///:memory:":
        return
    path = Path(uri.removeprefix("sqlite:///").split("?", 1)[0])
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
