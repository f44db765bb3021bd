"""Benchmark: the national outsider map with caches per data version, and what building
the protected publication costs, side by side with the uncached path.

    .venv/bin/python -W ignore bench/map_cache.py --sizes 1000000

Fills a fresh SQLite database like bench/hotspots.py (all incidents in 2025 Q3), then:
- ``version_scan`` / ``version_token``: the old data version (a scan of the incidents)
  against the token kept on write by triggers;
- ``count_leaves``: the publication's data reading; ``build``: the whole protected
  publication (reading + suppression + hypercube protection);
- ``load_shared``: another process loading that publication from the database cache;
- ``map_first``: the national 500 m outsider map for the quarter after a data change in
  a process that finds the publication in the database (map assembly, Gi*, folium parts);
- ``page_repeat``: the whole page through the Flask test client as a logged-in evaluator,
  a repeat view (median of 20).
Ends with ``RESULT name=value ...``.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from hotspots import populate  # noqa: E402

from pilot import clock, create_app  # noqa: E402
from pilot.extensions import db  # noqa: E402
from pilot.models import Gemeente, Rol, User  # noqa: E402
from pilot.services.disclosure import policy  # noqa: E402
from pilot.services.disclosure.publication import (  # noqa: E402
    build_publication,
    count_leaves,
    data_version,
    time_axis,
)
from pilot.services.gemeenten import seed_pilot_gemeenten  # noqa: E402
from pilot.services.users import hash_password  # noqa: E402

TODAY = datetime(2026, 1, 1, 12, tzinfo=UTC)


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench(n: int, runs: int) -> dict[str, float]:
    tmp = tempfile.mkdtemp(prefix="bench-mapcache-")
    os.environ["PILOT_INSTANCE_PATH"] = tmp
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
            "SECRET_KEY": "bench",
            "PSEUDONYM_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
        }
    )
    tag = f"n{n:.0e}".replace("+0", "")
    out: dict[str, float] = {}
    with app.app_context(), clock.frozen(TODAY):
        from flask_migrate import upgrade

        upgrade()
        seed_pilot_gemeenten()
        t0 = time.perf_counter()
        populate(n)
        out[f"{tag}_insert_s"] = round(time.perf_counter() - t0, 1)
        digest = hash_password("bench-wachtwoord-1")
        db.session.add(
            User(gebruikersnaam="eva", naam="eva", password_hash=digest, rol=Rol.EVALUATOR.value,
                 actief=True)
        )  # fmt: skip
        db.session.commit()
        gemeenten = list(db.session.execute(db.select(Gemeente)).scalars())
        quarters, _ = time_axis(gemeenten, clock.today())
        cases = {
            "version_scan": lambda: data_version(db.session),
            "version_token": lambda: policy.current_version(db.session),
            "count_leaves": lambda: count_leaves(db.session, gemeenten, quarters),
            "build": lambda: build_publication(db.session, gemeenten, 5, clock.today()),
        }
        for name, fn in cases.items():
            out[f"{tag}_{name}_s"] = round(timed(fn, runs), 4)
            print(f"{n:>10,}  {name:<14} {out[f'{tag}_{name}_s']:8.4f} s", flush=True)
        policy.outsider_publication()  # builds and stores it in the database

        def load_shared():
            policy._cache.clear()
            policy.outsider_publication()

        out[f"{tag}_load_shared_s"] = round(timed(load_shared, runs), 4)
        client = app.test_client()
        client.post("/inloggen", data={"gebruikersnaam": "eva", "wachtwoord": "bench-wachtwoord-1"})
        url = "/hotspots/kaart?kwartaal=2025-07-01"

        def map_first():
            from pilot.hotspots import views
            from pilot.services.hotspots import maps

            maps.OUTSIDER_MAPS._sources.clear()
            views.RENDERED._sources.clear()
            policy._cache.clear()
            assert client.get(url).status_code == 200

        out[f"{tag}_map_first_s"] = round(timed(map_first, runs), 4)
        client.get(url)
        out[f"{tag}_page_repeat_s"] = round(timed(lambda: client.get(url), 20), 4)
        for name in ("load_shared", "map_first", "page_repeat"):
            print(f"{n:>10,}  {name:<14} {out[f'{tag}_{name}_s']:8.4f} s", flush=True)
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(tmp)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, float] = {}
    print(f"load: {os.getloadavg()}", flush=True)
    for n in args.sizes:
        results.update(bench(n, args.runs))
    print(f"load: {os.getloadavg()}", flush=True)
    print("RESULT " + " ".join(f"{k}={v}" for k, v in results.items()))


if __name__ == "__main__":
    main()
