"""gunicorn settings for ``make serve``, all from the environment.

| variable | default |
|---|---|
| ``PILOT_BIND`` | ``127.0.0.1:8000`` |
| ``PILOT_WORKERS`` | 2 × cores |
| ``PILOT_THREADS`` | 1 (sync workers) |
| ``PILOT_TIMEOUT`` | 60 s (long work goes to the job worker) |
| ``PILOT_START_WORKER`` | 1: the master starts the job worker (0: it runs elsewhere) |

With ``PILOT_START_WORKER=1`` the master starts ``flask --app pilot jobs worker`` when it is
ready and stops it on exit. Each worker imports the map and table libraries after it boots
(``pilot.warmup``), so no user's first page pays for them.

Logs are JSON on stderr (``pilot.logs``); gunicorn's own access log is off, because it
would write client addresses and full URLs with their query strings.
"""

import os
import subprocess
import sys

bind = os.environ.get("PILOT_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("PILOT_WORKERS") or 2 * (os.cpu_count() or 1))
threads = int(os.environ.get("PILOT_THREADS", "1"))
timeout = int(os.environ.get("PILOT_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
accesslog = None
errorlog = "-"
max_requests = int(os.environ.get("PILOT_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
raw_env = ["PILOT_JSON_LOGS=1"]
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "pilot.logs.JsonFormatter"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}

_job_worker: subprocess.Popen | None = None


def when_ready(server) -> None:
    """Start the job worker with the app (unless PILOT_START_WORKER=0)."""
    global _job_worker
    if os.environ.get("PILOT_START_WORKER", "1") == "0":
        return
    command = [sys.executable, "-m", "flask", "--app", "pilot", "jobs", "worker"]
    _job_worker = subprocess.Popen(command, env={**os.environ, "PILOT_JSON_LOGS": "1"})
    server.log.info("job worker started")


def post_worker_init(worker) -> None:
    from pilot.warmup import warm_up

    warm_up()


def on_exit(server) -> None:
    if _job_worker is not None and _job_worker.poll() is None:
        _job_worker.terminate()
        try:
            _job_worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _job_worker.kill()
