"""The worker: a Huey consumer (threads) plus a heartbeat, in the worker process or a test.

``flask --app pilot jobs worker`` runs it until stopped; ``start`` runs it in the
background of the current process (tests start the real consumer this way).
"""

import contextlib
import logging
import os
import signal
import threading
from dataclasses import dataclass

from flask import Flask

from pilot.services.jobs import maintenance
from pilot.services.jobs.queue import HEARTBEAT_SECONDS, beat, get_queue, worker_name
from pilot.services.jobs.runner import bind_app, requeue_interrupted

log = logging.getLogger(__name__)
SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
CONSUMER_OPTIONS = {
    "worker_type": "thread",
    "initial_delay": 0.05,
    "backoff": 1.3,
    "max_delay": 1.0,
    "periodic": False,
    "check_worker_health": True,
}


@dataclass
class Worker:
    consumer: object
    stop_flag: threading.Event
    heartbeat: threading.Thread

    def stop(self) -> None:
        self.stop_flag.set()
        self.consumer.stop(graceful=True)
        self.heartbeat.join(timeout=10)
        self.consumer.huey.storage.close()


def _prepare(app: Flask, threads: int):
    huey = get_queue(app)
    bind_app(app)
    with app.app_context():
        requeued = requeue_interrupted(huey, worker_name())
    if requeued:
        log.info("interrupted jobs requeued", extra={"aantal": requeued})
    return huey, huey.create_consumer(workers=threads, **CONSUMER_OPTIONS)


def _heartbeat(huey, stop_flag: threading.Event) -> threading.Thread:
    def loop() -> None:
        while not stop_flag.is_set():
            try:
                beat(huey)
            except Exception:  # the store may be briefly unreachable; try again
                log.warning("heartbeat failed")
            stop_flag.wait(HEARTBEAT_SECONDS)

    thread = threading.Thread(target=loop, name="pilot-heartbeat", daemon=True)
    thread.start()
    return thread


def start(app: Flask, threads: int = 1, maintain: bool = False) -> Worker:
    """Run a consumer in background threads of this process; ``stop()`` ends it. The
    process keeps its own signal handlers (the consumer would take SIGINT and SIGTERM).
    ``maintain``: also the worker's maintenance (``maintenance.py``), as ``run`` does."""
    huey, consumer = _prepare(app, threads)
    stop_flag = threading.Event()
    kept = {number: signal.getsignal(number) for number in SIGNALS}
    consumer.start()
    for number, previous in kept.items():
        signal.signal(number, previous)
    if maintain:
        maintenance.start(app, stop_flag)
    return Worker(consumer, stop_flag, _heartbeat(huey, stop_flag))


def lower_priority(increment: int) -> None:
    """Lower the CPU priority of every thread of this process by ``increment``.

    On Linux a nice value belongs to a thread, and ``os.nice`` lowers only the calling one:
    the thread pool OpenBLAS starts when numpy is imported (while the app is created) kept
    priority 0 and took a fifth of a core from the app servers while the worker built the
    outsider publication. Threads started later inherit the lowered value.
    """
    if increment <= 0:
        return
    target = min(19, os.getpriority(os.PRIO_PROCESS, 0) + increment)
    tasks = "/proc/self/task"
    for thread_id in sorted(map(int, os.listdir(tasks))) if os.path.isdir(tasks) else [0]:
        with contextlib.suppress(ProcessLookupError):  # the thread ended meanwhile
            os.setpriority(os.PRIO_PROCESS, thread_id, target)


def run(app: Flask, threads: int = 1) -> None:
    """Run until SIGINT/SIGTERM (the CLI command), at the CPU priority ``PILOT_WORKER_NICE``
    below the app servers (the worker's own process: nothing else is lowered)."""
    lower_priority(int(app.config.get("PILOT_WORKER_NICE", 0)))
    huey, consumer = _prepare(app, threads)
    stop_flag = threading.Event()
    _heartbeat(huey, stop_flag)
    maintenance.start(app, stop_flag)
    try:
        consumer.run()
    finally:
        stop_flag.set()
