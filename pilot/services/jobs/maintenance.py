"""What the worker does between jobs: the outsider publication ready before anyone asks,
and expired throttling windows removed.

After a data change the first outsider request would build the publication (seconds at a
million incidents). The worker looks every few seconds at what the publication depends on
(``policy.publication_key``: the data version token, one row, the codebook version and the
day) and, when it changed, builds the publication with the Gi* of its maps and stores it in
the database (``policy.prepare_for_viewers``); app servers then only load it. A request
that comes before the worker is done gets the newest publication of at most
``PILOT_PUBLICATION_MAX_AGE`` seconds (default 120) and otherwise builds one itself: the
worker makes it faster, never required. While data keep changing (a busy afternoon of
registrations, an import) it rebuilds at most once per ``PILOT_PUBLICATION_MIN_INTERVAL``
seconds (default 60), not after every write, so the newest stays within that age.

The provisional rows of a large import whose job failed or stopped (``imports.staged``) are
deleted at the next round.

Throttling windows (``throttle_storage``) that ended are deleted every
``PILOT_THROTTLE_CLEANUP_SECONDS`` (default 600): a key that comes back starts a fresh
window anyway, so the table holds at most the keys of the last window.
"""

import logging
import threading
import time

from flask import Flask

from pilot.extensions import db

log = logging.getLogger(__name__)
POLL_SECONDS = 5.0


class Maintenance:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.built_for: str | None = None
        self.built_at = 0.0
        self.cleaned_at = 0.0

    def tick(self, now: float | None = None) -> None:
        """One round: publication when the data or the day changed; throttle cleanup when due."""
        now = time.monotonic() if now is None else now
        with self.app.app_context():
            try:
                self._abandoned_imports()
                self._publication(now)
                self._throttles(now)
            finally:
                db.session.remove()

    def _publication(self, now: float) -> None:
        from pilot.services.disclosure import policy

        key = policy.publication_key()
        if key == self.built_for:
            return
        every = float(self.app.config.get("PILOT_PUBLICATION_MIN_INTERVAL", 60))
        if self.built_for is not None and now - self.built_at < every:
            return
        policy.prepare_for_viewers()
        self.built_for, self.built_at = key, now
        log.info("outsider publication ready")

    def _abandoned_imports(self) -> None:
        from pilot.services.imports.staged import discard_abandoned

        if discarded := discard_abandoned():
            log.info("rows of abandoned imports deleted", extra={"aantal": discarded})

    def _throttles(self, now: float) -> None:
        every = float(self.app.config.get("PILOT_THROTTLE_CLEANUP_SECONDS", 600))
        storage = str(self.app.config.get("RATELIMIT_STORAGE_URI", ""))
        if not storage.startswith("pilot-db://") or now - self.cleaned_at < every:
            return
        from pilot.services.throttle_storage import remove_expired

        removed = remove_expired()
        self.cleaned_at = now
        log.info("expired throttling windows removed", extra={"aantal": removed})


def start(app: Flask, stop_flag: threading.Event, every: float = POLL_SECONDS):
    """Run ``Maintenance.tick`` every ``every`` seconds in a background thread."""
    maintenance = Maintenance(app)

    def loop() -> None:
        while not stop_flag.is_set():
            try:
                maintenance.tick()
            except Exception:  # a busy database or a failed build: try again next round
                log.exception("worker maintenance failed")
            stop_flag.wait(every)

    thread = threading.Thread(target=loop, name="pilot-maintenance", daemon=True)
    thread.start()
    return thread
