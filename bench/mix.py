"""The load bench's request mix in one process: what each request costs, without the noise.

    .venv/bin/python -W ignore bench/mix.py --rounds 100
    valgrind --tool=callgrind --instr-atstart=no .venv/bin/python -W ignore bench/mix.py \
        --rounds 10 --callgrind

One coordinator (Rotterdam) repeats the mix of ``bench/load.py`` (list → detail → form → post
→ own hotspot map) through Flask's test client, on a copy of one prepared SQLite database
(demo data plus the bench's accounts, built once into ``--cache`` and copied for every run, so
every run starts from the same data and posts the same incidents). Prints the mean and median
time per request type, the queries per request type and the time per request.

This machine's speed varies by up to 1.7x from hour to hour, so times from different runs
say little. ``--callgrind`` (under valgrind, as above) switches instruction counting on after
the warm-up rounds: the count valgrind prints at the end ("Collected") covers only the
measured rounds and repeats within 0.3 % — compare it between two checkouts to know whether a
change made the app cheaper.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import load  # noqa: E402  (bench/load.py: the same accounts, mix and incident form)

WARMUP_ROUNDS = 5
CBS = "GM0599"


def prepared_copy(cache: Path) -> tuple[str, dict]:
    """A fresh copy of the prepared database; builds it into ``cache`` the first time."""
    if not (cache / "cookies.json").exists():
        cache.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{cache}/pilot.sqlite3"
        load.prepare(url, load._env(url, str(cache)), 3, str(cache))
    work = Path(tempfile.mkdtemp(prefix="mix-"))
    for path in cache.glob("pilot.sqlite3*"):
        shutil.copy(path, work)
    url = f"sqlite:///{work}/pilot.sqlite3"
    os.environ.update(load._env(url, str(work)))
    return str(work), json.loads((cache / "cookies.json").read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pilot-mix")
    parser.add_argument("--callgrind", action="store_true", help="count from the first round")
    args = parser.parse_args()
    work, cookies = prepared_copy(args.cache)

    from sqlalchemy import event

    from pilot import create_app
    from pilot.extensions import db

    app = create_app()
    client = app.test_client()
    client.set_cookie("session", cookies["bench0"], domain="localhost")
    queries: Counter = Counter()
    kind_now = [""]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: queries.update(kind_now))

    times: dict[str, list[float]] = defaultdict(list)
    rng = random.Random(1)
    base = f"/gemeente/{CBS}/incidenten"

    def timed(kind: str, send, ok=(200,)):
        kind_now[0] = kind
        started = time.perf_counter()
        response = send()
        times[kind].append(time.perf_counter() - started)
        if response.status_code not in ok:
            raise SystemExit(f"{kind}: status {response.status_code}")
        return response

    for round_number in range(WARMUP_ROUNDS + args.rounds):
        if round_number == WARMUP_ROUNDS:
            times.clear()
            queries.clear()
            if args.callgrind:
                subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], check=False)
        listing = timed("list", lambda: client.get(base + "/"))
        incident = rng.choice(load.DETAIL.findall(listing.text))
        timed("detail", lambda: client.get(f"{base}/{incident}"))  # noqa: B023
        form = timed("form", lambda: client.get(base + "/nieuw"))
        fields = load.incident_fields(form.text, rng, *load.GEMEENTEN[CBS])
        timed("post", lambda: client.post(base + "/nieuw", data=fields), ok=(302,))  # noqa: B023
        timed("map", lambda: client.get(f"/hotspots/gemeente/{CBS}/kaart"))
    shutil.rmtree(work, ignore_errors=True)

    total = 0.0
    for kind, values in times.items():
        mean = statistics.mean(values) * 1000
        total += mean
        print(
            f"{kind:7s} mean {mean:6.2f} ms  median {statistics.median(values) * 1000:6.2f} ms"
            f"  queries {queries[kind] / args.rounds:4.1f}"
        )
    print(f"RESULT mix_ms={total:.2f} request_ms={total / len(times):.2f}")


if __name__ == "__main__":
    main()
