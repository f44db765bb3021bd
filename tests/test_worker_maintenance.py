"""The worker's maintenance: the outsider publication built and stored after a data change
before anyone asks, and expired throttling windows deleted (``jobs/maintenance.py``)."""

import time

import pytest

from pilot.extensions import db
from pilot.models import PublicationCache, ThrottleCounter
from pilot.services.disclosure import policy
from pilot.services.jobs import worker as jobs_worker
from pilot.services.jobs.maintenance import Maintenance
from tests.factories import make_boa, make_incident


@pytest.mark.usefixtures("frozen_clock")
def test_the_worker_stores_the_publication_after_every_data_change(app):
    app.config["PILOT_PUBLICATION_MIN_INTERVAL"] = 0
    with app.app_context():
        boa = make_boa("GM0599")
        for i in range(6):
            make_incident(boa, 51.92 + i / 1000, 4.47)
        assert not policy.stored_for_today()
    running = jobs_worker.start(app, maintain=True)
    stored = []
    try:
        for change in range(2):
            with app.app_context():
                deadline = time.monotonic() + 60
                while not policy.stored_for_today():
                    assert time.monotonic() < deadline, "the worker did not build it"
                    time.sleep(0.2)
                    db.session.remove()
                stored += db.session.execute(db.select(PublicationCache.sleutel)).scalars().all()
                if change == 0:
                    make_incident(db.session.merge(boa), 51.93, 4.48)  # a new data version
    finally:
        running.stop()
    assert len(stored) == 2 and stored[0] != stored[1]  # one row each time, renewed
    with app.app_context():
        policy.forget_process_cache()  # a web process: loads what the worker stored
        assert policy.outsider_publication().version


@pytest.mark.usefixtures("frozen_clock")
def test_under_a_stream_of_writes_the_worker_rebuilds_at_most_once_per_interval(app):
    app.config["PILOT_PUBLICATION_MIN_INTERVAL"] = 60
    maintenance = Maintenance(app)

    def stored() -> int:
        with app.app_context():
            return db.session.execute(
                db.select(db.func.count()).select_from(PublicationCache)
            ).scalar_one()

    def write(i: int) -> None:
        with app.app_context():
            make_incident(make_boa("GM0599"), 51.92 + i / 1000, 4.47)

    write(0)
    maintenance.tick(now=1_000.0)
    assert stored() == 1
    write(1)
    maintenance.tick(now=1_030.0)  # changed, but built 30 s ago
    assert stored() == 1
    with app.app_context():
        assert not policy.stored_for_today()
    write(2)
    maintenance.tick(now=1_061.0)  # the interval has passed: the latest data
    with app.app_context():
        assert policy.stored_for_today()
    maintenance.tick(now=1_200.0)  # nothing changed since: nothing to build
    assert maintenance.built_at == 1_061.0


def test_expired_throttling_windows_are_removed_on_schedule(app):
    app.config["RATELIMIT_STORAGE_URI"] = "pilot-db://"
    app.config["PILOT_THROTTLE_CLEANUP_SECONDS"] = 600
    now = time.time()  # noqa: TID251  (throttling windows are on the real clock)

    def keys() -> set[str]:
        return set(db.session.execute(db.select(ThrottleCounter.sleutel)).scalars())

    def add(key: str, ends: float) -> None:
        db.session.add(ThrottleCounter(sleutel=key, aantal=3, verloopt_op=ends))
        db.session.commit()

    maintenance = Maintenance(app)
    with app.app_context():
        add("oud", now - 10)
        add("lopend", now + 3600)
        maintenance.tick(now=10_000.0)
        assert keys() == {"lopend"}
        add("net-verlopen", now - 1)
        maintenance.tick(now=10_100.0)  # not due yet
        assert keys() == {"lopend", "net-verlopen"}
        maintenance.tick(now=10_601.0)
        assert keys() == {"lopend"}
