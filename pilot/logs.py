"""Structured logs: one JSON object per line on stderr, without personal data.

A record carries the time, level, logger, message and a few known fields (``FIELDS``);
any other ``extra`` is dropped, so a value cannot slip into the log by accident. Requests
are logged with their route *pattern* (``/gemeente/<cbs_code>/incidenten/<int:incident_id>``),
not the URL or query string, and never an IP address, user name or form value. An
exception is logged with its type and stack (file, line, function), not its message: a
database error's message can quote the row it failed on.
"""

import json
import logging
import sys
import time
import traceback
from datetime import UTC, datetime

from flask import Flask, g, request

FIELDS = ("method", "route", "endpoint", "status", "duration_ms", "job_id", "soort", "aantal")
_configured = False


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage() if not record.args else record.msg,
        }
        entry.update({name: getattr(record, name) for name in FIELDS if hasattr(record, name)})
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            entry["exception"] = kind.__name__
            entry["stack"] = [
                f"{frame.filename}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_tb(trace)
            ]
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: int = logging.INFO) -> None:
    """Send every logger's records to stderr as JSON (once per process)."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("gunicorn.error", "huey", "huey.consumer"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    _configured = True


def init_app(app: Flask) -> None:
    """JSON logs when ``PILOT_JSON_LOGS`` is on (production), and one line per request."""
    if not app.config.get("PILOT_JSON_LOGS"):
        return
    configure()
    requests = logging.getLogger("pilot.request")

    @app.before_request
    def _start_timer() -> None:
        g.log_started = time.perf_counter()

    @app.after_request
    def _log_request(response):
        started = g.get("log_started")
        requests.info(
            "request",
            extra={
                "method": request.method,
                "route": request.url_rule.rule if request.url_rule else "-",
                "endpoint": request.endpoint or "-",
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1)
                if started
                else None,
            },
        )
        return response
