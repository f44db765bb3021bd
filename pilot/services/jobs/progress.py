"""What a running job has done so far, kept in the queue's key-value store.

Not in the ``job`` row: during an import the worker holds SQLite's write lock until the one
transaction commits, so the progress must live where it can be written meanwhile.
"""

from dataclasses import asdict, dataclass

from huey import Huey

from pilot import clock

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

    def __init__(self, huey: Huey, job_id: str):
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


def current(huey: Huey, job_id: str) -> Stand | None:
    found = huey.get(_key(job_id), peek=True)
    return None if found is None else Stand(**found)
