"""What a running job has done so far, kept in the queue's key-value store.

Not in the ``job`` row: during an import the worker holds SQLite's write lock until the one
transaction commits, so the progress must live where it can be written meanwhile.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from pilot import clock

if TYPE_CHECKING:
    from huey import Huey  # imported on first use: app start-up stays light

EVERY_SECONDS = 0.5  # at most this often to the store, except the first and the last


@dataclass(frozen=True)
class Stand:
    stap: str
    gedaan: int
    totaal: int
    eenheid: str

    @property
    def procent(self) -> int:
        return 0 if self.totaal <= 0 else min(100, round(100 * self.gedaan / self.totaal))


def _key(job_id: str) -> str:
    return f"pilot:job:{job_id}:voortgang"


class Reporter:
    """Passed to a handler: ``report(stap, gedaan, totaal, eenheid)``."""

    def __init__(self, huey: "Huey", job_id: str):
        self.huey, self.job_id = huey, job_id
        self._last = 0.0

    def report(self, stap: str, gedaan: int, totaal: int, eenheid: str = "rijen") -> None:
        moment = clock.now().timestamp()
        if gedaan < totaal and moment - self._last < EVERY_SECONDS and self._last:
            return
        self._last = moment
        self.huey.put(_key(self.job_id), asdict(Stand(stap, gedaan, totaal, eenheid)))

    def clear(self) -> None:
        self.huey.delete(_key(self.job_id))


_reporter: ContextVar[Reporter | None] = ContextVar("pilot_job_reporter", default=None)


@contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Inside the block ``step`` reports to this job (the runner wraps each handler)."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


def step(stap: str, gedaan: int = 0, totaal: int = 0, eenheid: str = "stappen") -> None:
    """Report progress of the running job, if any: services call this without knowing
    whether they run in a request, the CLI or the worker."""
    reporter = _reporter.get()
    if reporter is not None:
        reporter.report(stap, gedaan, totaal, eenheid)


def current(huey: "Huey", job_id: str) -> Stand | None:
    found = huey.get(_key(job_id), peek=True)
    return None if found is None else Stand(**found)
