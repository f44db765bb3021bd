"""Benchmark: an outsider's national map while a coordinator keeps registering incidents.

    .venv/bin/python -W ignore bench/stand_in.py [--rounds 8]

Fresh SQLite database with the demo data (``flask demo``: ~5,000 incidents over two years),
a coordinator of Rotterdam and an evaluator logged in through the app's own log-in (password
and TOTP). Every round the coordinator registers an incident through the form (a new data
version) and then the evaluator opens the national hotspot map (``GET /hotspots/kaart``,
Flask test client: server time). Two runs side by side on the same database:

- ``naive``: ``PILOT_PUBLICATION_MAX_AGE=0``, every view after a change builds the outsider
  publication for the request (what a cache per data version alone gives);
- ``stand_in``: the default (120 s), the newest publication of at most that age stands in.

No job worker runs, so the first view of each run builds the publication (``first``, not in
the median). Median of the other rounds; ends with ``RESULT name=value ...``.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from dashboard import _logged_in  # noqa: E402
from load import GEMEENTEN, incident_fields  # noqa: E402


def _demo_database(tmp: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp}/stand_in.sqlite3",
        "PILOT_INSTANCE_PATH": tmp,
        "PILOT_SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "PILOT_PSEUDONYM_KEY": "bench-pseudonym-key-" + "y" * 32,
    }
    flask = [sys.executable, "-m", "flask", "--app", "pilot"]
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([*flask, *command], env=env, check=True, capture_output=True, cwd=ROOT)
    return env


def _register(coordinator, rng: random.Random) -> None:
    form = coordinator.get("/gemeente/GM0599/incidenten/nieuw").text
    answer = coordinator.post(
        "/gemeente/GM0599/incidenten/nieuw", data=incident_fields(form, rng, *GEMEENTEN["GM0599"])
    )
    assert answer.status_code in (302, 303), answer.status_code


def run(app, coordinator, evaluator, max_age: int, rounds: int, rng) -> list[float]:
    from pilot.extensions import db
    from pilot.models import PublicationCache
    from pilot.services.disclosure import policy

    app.config["PILOT_PUBLICATION_MAX_AGE"] = max_age
    policy.forget_process_cache()
    db.session.execute(db.delete(PublicationCache))
    db.session.commit()
    times = []
    for _ in range(rounds):
        _register(coordinator, rng)
        started = time.perf_counter()
        answer = evaluator.get("/hotspots/kaart")
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-stand-in-") as tmp:
        os.environ.update(_demo_database(tmp))
        from pilot import create_app
        from pilot.extensions import db
        from pilot.models import Gemeente, Rol

        app = create_app()
        app.config["WTF_CSRF_ENABLED"] = False
        rng = random.Random(429)
        results: dict[str, float] = {}
        with app.app_context():
            rotterdam = db.session.execute(
                db.select(Gemeente.id).where(Gemeente.cbs_code == "GM0599")
            ).scalar_one()
            coordinator = _logged_in(app, Rol.COORDINATOR, rotterdam)
            evaluator = _logged_in(app, Rol.EVALUATOR)
            for name, max_age in (("naive", 0), ("stand_in", 120)):
                first, *rest = run(app, coordinator, evaluator, max_age, args.rounds, rng)
                results[f"{name}_first_s"] = round(first, 4)
                results[f"{name}_median_s"] = round(statistics.median(rest), 4)
                shown = " ".join(f"{t:.3f}" for t in rest)
                print(f"{name:9s} first {first:.3f} s, then {shown} s", flush=True)
        results["ratio"] = round(results["naive_median_s"] / results["stand_in_median_s"], 1)
        print(
            f"evaluator's national map after each registration: naive "
            f"{results['naive_median_s']:.3f} s, stand-in {results['stand_in_median_s']:.4f} s "
            f"({results['ratio']}x faster)"
        )
        print("RESULT " + " ".join(f"{k}={v}" for k, v in results.items()))


if __name__ == "__main__":
    main()
