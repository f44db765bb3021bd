"""Benchmark: the national dashboard (evaluator, whole pilot) at 1e5 incidents.

Fills a fresh SQLite database like ``bench/reports.py`` (synthetic incidents over the ten
pilot gemeenten and the whole pilot, inside the real boundaries), logs an evaluator in
through the app's own log-in (password and TOTP) and times ``GET /dashboard/`` through the
Flask test client (server time: routing, publication lookup, figures, SVG charts, template):

- ``board``: the publication is in memory, the dashboard is built and rendered (figures,
  SVG charts, template) — the target, ≤ 0.3 s;
- ``warm``: a repeat view (the rendered dashboard cached per publication and period);
- ``shared``: the publication is loaded from the database cache another process stored
  (a fresh gunicorn worker);
- ``cold`` (the naive approach, side by side): counting, suppressing and protecting the
  publication for the request, as a dashboard without the publication cache would.

Also the coordinator's exact dashboard of Rotterdam (its own incidents counted per request).
Median of ``--repeat`` runs (cold: of ``--cold-repeat``). Ends with ``RESULT name=value ...``.

    .venv/bin/python -W ignore bench/dashboard.py [--n 100000] [--repeat 10]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reports import _app, fill  # noqa: E402

PASSWORD = "bench-wachtwoord-dashboard-1"
AFTER_THE_PILOT = datetime(2026, 12, 1, 12, tzinfo=UTC)


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _logged_in(app, rol, gemeente_id=None):
    import pyotp

    from pilot import clock
    from pilot.extensions import db, limiter
    from pilot.models import User
    from pilot.services.users import hash_password

    secret = pyotp.random_base32()
    name = f"bench-{rol.value}"
    db.session.add(
        User(gebruikersnaam=name, naam=name, password_hash=hash_password(PASSWORD),
             rol=rol.value, gemeente_id=gemeente_id, actief=True, totp_secret=secret,
             mfa_actief=True)
    )  # fmt: skip
    db.session.commit()
    limiter.reset()
    client = app.test_client()
    client.post("/inloggen", data={"gebruikersnaam": name, "wachtwoord": PASSWORD})
    answer = client.post("/inloggen/code", data={"code": pyotp.TOTP(secret).at(clock.now())})
    assert answer.status_code == 302 and "/inloggen" not in answer.headers["Location"], answer
    return client


def measure(url: str, repeat: int, cold_repeat: int) -> dict[str, float]:
    from sqlalchemy import delete

    from pilot import clock
    from pilot.extensions import db
    from pilot.models import Gemeente, PublicationCache, Rol
    from pilot.services.disclosure import policy

    app = _app(url)
    app.config["WTF_CSRF_ENABLED"] = False
    out: dict[str, float] = {}
    with app.app_context(), clock.frozen(AFTER_THE_PILOT):
        evaluator = _logged_in(app, Rol.EVALUATOR)
        rotterdam = db.session.execute(
            db.select(Gemeente).where(Gemeente.cbs_code == "GM0599")
        ).scalar_one()
        coordinator = _logged_in(app, Rol.COORDINATOR, rotterdam.id)

        def get(client, path: str) -> None:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

        def cold() -> None:
            policy.forget_process_cache()
            db.session.execute(delete(PublicationCache))
            db.session.commit()
            get(evaluator, "/dashboard/")

        def shared() -> None:
            policy.forget_process_cache()
            get(evaluator, "/dashboard/")

        from pilot.dashboard import views
        from pilot.services import dashboard

        def board() -> None:
            dashboard.BOARDS._sources.clear()
            views.RENDERED._sources.clear()
            get(evaluator, "/dashboard/")

        out["cold_s"] = _median(cold, cold_repeat)
        out["shared_s"] = _median(shared, repeat)
        get(evaluator, "/dashboard/")
        out["board_s"] = _median(board, repeat)
        get(evaluator, "/dashboard/")
        out["warm_s"] = _median(lambda: get(evaluator, "/dashboard/"), repeat)
        page = f"/dashboard/gemeente/{rotterdam.cbs_code}"
        out["coordinator_s"] = _median(lambda: get(coordinator, page), repeat)
    out["cold_over_warm"] = out["cold_s"] / out["warm_s"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--cold-repeat", type=int, default=3)
    args = parser.parse_args()
    from gemeenten import pilot_gemeenten

    codes_ = [g.cbs_code for g in pilot_gemeenten()]
    print(f"load: {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PILOT_INSTANCE_PATH"] = tmp
        url = f"sqlite:///{tmp}/dashboard.sqlite3"
        started = time.perf_counter()
        per = args.n // len(codes_)
        fill(url, {code: per for code in codes_})
        print(f"database: {per * len(codes_)} incidenten in {time.perf_counter() - started:.1f} s")
        figures = measure(url, args.repeat, args.cold_repeat)
    print(
        f"landelijk dashboard ({per * len(codes_)} incidenten): "
        f"opbouwen {figures['board_s']:.3f} s, "
        f"herhaald {figures['warm_s']:.3f} s, "
        f"publicatie uit de database {figures['shared_s']:.3f} s, koud (naïef: publicatie per "
        f"verzoek) {figures['cold_s']:.2f} s = {figures['cold_over_warm']:.0f}× warm; "
        f"dashboard coördinator Rotterdam (exact) {figures['coordinator_s']:.3f} s"
    )
    print(f"load: {os.getloadavg()}", flush=True)
    print("RESULT " + " ".join(f"{k}={v:.3f}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
