"""Benchmark: the national outsider map after a data change and on a repeat view, with the
publication built from the counts kept on write, side by side with the old path that read
every incident.

    .venv/bin/python -W ignore bench/map_cache.py --sizes 1000000                 # SQLite
    .venv/bin/python -W ignore bench/map_cache.py --db postgresql --sizes 10000000

SQLite: a fresh database filled like bench/hotspots.py (all incidents in 2025 Q3, inside
the real boundaries; the triggers of migration 0043 keep the counts during the fill).
PostgreSQL: a throwaway server (tests/postgres.py) or ``--url``, filled with
``INSERT … SELECT … FROM generate_series`` in statements of 1e6 rows (points drawn from a
pool inside each boundary, jittered by up to 50 m; codes at random). Then, median of
``--runs`` (the old path ``--old-runs``):

- ``count_old`` / ``count``: the publication's data reading, from the incident rows
  (``count_leaves_from_incidents``) and from the kept counts (``count_leaves``);
- ``build_old`` / ``build``: the whole protected publication (reading, suppression,
  hypercube protection) with either reading;
- ``map_cold_old`` / ``map_cold``: the national 500 m outsider map page for 2025 Q3 as a
  logged-in evaluator, the first view after a data change: no process has the
  publication, so this request builds it, then the map (Gi*) and its folium parts;
- ``map_shared``: the first view in a process when another process has stored the
  publication in the database: load it, Gi* of the quarter's maps, render;
- ``map_worker``: the same when the worker stored it (``policy.prepare_for_viewers``: with
  the Gi* of every map): load it, render — what a user gets after a data change once the
  worker has caught up (it polls every 5 s);
- ``page_repeat``: the same page again (median of 20).
Every figure is printed with the load average. Ends with ``RESULT name=value ...``.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402
import pyotp  # noqa: E402
import shapely  # noqa: E402
from hotspots import CODES, SHARED, populate  # noqa: E402
from sqlalchemy import text  # noqa: E402
from synthetic import points_inside  # noqa: E402

from gemeenten import read_boundaries  # noqa: E402
from gemeenten.boundaries import to_wgs84  # noqa: E402
from pilot import clock, create_app  # noqa: E402
from pilot.codes import TIJDVAK_PER_UUR  # noqa: E402
from pilot.extensions import db, limiter  # noqa: E402
from pilot.models import Boa, Gemeente, PublicationCache, Rol, User  # noqa: E402
from pilot.services.disclosure import policy, publication  # noqa: E402
from pilot.services.gemeenten import seed_pilot_gemeenten  # noqa: E402
from pilot.services.users import hash_password  # noqa: E402

TODAY = datetime(2026, 1, 1, 12, tzinfo=UTC)
URL = "/hotspots/kaart?kwartaal=2025-07-01"
POOL = 20_000
CHUNK = 1_000_000


def load() -> str:
    return "load {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _boundaries_and_boas() -> dict:
    boundaries = read_boundaries(str(SHARED))
    now = clock.now()
    for g in db.session.execute(db.select(Gemeente)).scalars():
        g.grens_rd_wkb = shapely.to_wkb(boundaries[g.cbs_code])
        g.grens_bron, g.grens_geladen_op = "bench", now
        db.session.add(
            Boa(gemeente_id=g.id, code=f"BOA-{g.cbs_code}-B", opleidingsdatum=date(2024, 6, 1),
                mandaat_start=date(2024, 6, 1), actief=True)
        )  # fmt: skip
    db.session.commit()
    return boundaries


FILL = """
INSERT INTO incident (gemeente_id, boa_id, tijdstip, lokale_datum, weekdag, tijdvak, lat, lon,
    rd_x, rd_y, locatie_type, gedragingen, kennisname, kleding, rol_boa, afdoening,
    aantal_verdachten, leeftijd_verdachten, aantal_slachtoffers, slachtofferhulp, vingerafdruk,
    grens_gecontroleerd, synthetisch, geimporteerd, aangemaakt_op, gewijzigd_op, version)
SELECT CAST(:g AS integer), CAST(:boa AS integer), t, lokaal::date,
    extract(isodow FROM lokaal)::int - 1,
    (CAST(:tijdvak AS text[]))[extract(hour FROM lokaal)::int + 1],
    (CAST(:lat AS float8[]))[p], (CAST(:lon AS float8[]))[p],
    (CAST(:xs AS float8[]))[p] + (random() - 0.5) * 100,
    (CAST(:ys AS float8[]))[p] + (random() - 0.5) * 100,
    (CAST(:locatie AS text[]))[1 + floor(random() * :nl)::int], 1 + floor(random() * 15)::int,
    'eigen_waarneming', (CAST(:kleding AS text[]))[1 + floor(random() * :nk)::int],
    'interventie', (CAST(:afdoening AS text[]))[1 + floor(random() * :na)::int],
    1, '18_24', 1, false, CAST(:g AS text) || '-' || i, true, true, false, now(), now(), 1
FROM (
    SELECT i, 1 + i % CAST(:pool AS bigint) AS p, t,
        (t AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/Amsterdam' AS lokaal
    FROM (
        SELECT i, timestamp '2025-07-01' + random() * interval '91 days' AS t
        FROM generate_series(CAST(:a AS bigint), CAST(:b AS bigint)) AS i
    ) AS s
) AS r
"""


def fill_postgresql(n: int, seed: int = 1) -> None:
    """``n`` incidents in 2025 Q3 over the ten gemeenten, generated in the database."""
    rng = np.random.default_rng(seed)
    boundaries = _boundaries_and_boas()
    boas = dict(db.session.execute(db.select(Boa.gemeente_id, Boa.id)).all())
    gemeenten = list(db.session.execute(db.select(Gemeente.id, Gemeente.cbs_code)).all())
    per = n // len(gemeenten)
    for number, (gemeente_id, cbs_code) in enumerate(gemeenten):
        count = per if number < len(gemeenten) - 1 else n - per * (len(gemeenten) - 1)
        x, y = points_inside(boundaries[cbs_code], POOL, rng, clusters=3, clustered_share=0.3)
        lat, lon = to_wgs84(x, y)
        values = {
            "g": gemeente_id, "boa": boas[gemeente_id], "pool": POOL,
            "xs": list(map(float, x)), "ys": list(map(float, y)),
            "lat": list(map(float, lat)), "lon": list(map(float, lon)),
            "tijdvak": list(TIJDVAK_PER_UUR),
            "locatie": CODES["locatie_type"], "nl": len(CODES["locatie_type"]),
            "kleding": CODES["kleding"], "nk": len(CODES["kleding"]),
            "afdoening": CODES["afdoening"], "na": len(CODES["afdoening"]),
        }  # fmt: skip
        for a in range(1, count + 1, CHUNK):
            db.session.execute(text(FILL), {**values, "a": a, "b": min(count, a + CHUNK - 1)})
            db.session.commit()
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def _log_in(app, client) -> None:
    secret = pyotp.random_base32()
    db.session.add(
        User(gebruikersnaam="eva", naam="eva", password_hash=hash_password("bench-wachtwoord-1"),
             rol=Rol.EVALUATOR.value, actief=True, totp_secret=secret, mfa_actief=True)
    )  # fmt: skip
    db.session.commit()
    limiter.reset()
    client.post("/inloggen", data={"gebruikersnaam": "eva", "wachtwoord": "bench-wachtwoord-1"})
    answer = client.post("/inloggen/code", data={"code": pyotp.TOTP(secret).at(clock.now())})
    assert answer.status_code == 302 and "/inloggen" not in answer.headers["Location"]


def _forget_maps(shared_too: bool) -> None:
    """As after a data change (cold) or in a fresh process (the database cache stays)."""
    from pilot.hotspots import views
    from pilot.services.hotspots import maps, table

    table._cache.clear()
    maps.OUTSIDER_MAPS._sources.clear()
    views.RENDERED._sources.clear()
    policy.forget_process_cache()
    if shared_too:
        db.session.execute(db.delete(PublicationCache))
        db.session.commit()


class OldReading:
    """The publication built as before migration 0043: reading every incident."""

    def __enter__(self):
        self.kept = publication.count_leaves
        publication.count_leaves = publication.count_leaves_from_incidents

    def __exit__(self, *exc):
        publication.count_leaves = self.kept


def bench(n: int, runs: int, old_runs: int, kind: str, url: str | None) -> dict[str, float]:
    tmp = tempfile.mkdtemp(prefix="bench-mapcache-")
    os.environ["PILOT_INSTANCE_PATH"] = tmp
    server = None
    if kind == "postgresql" and url is None:
        from tests.postgres import PostgresServer

        server = PostgresServer()
        server.start()
        url = server.create_database("bench_map")
    database = url if kind == "postgresql" else f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "bench", "PSEUDONYM_KEY": "bench",
         "WTF_CSRF_ENABLED": False}
    )  # fmt: skip
    tag = f"{kind[:2]}_n{n:.0e}".replace("+0", "")
    out: dict[str, float] = {}

    def record(name: str, seconds: float) -> None:
        out[f"{tag}_{name}_s"] = round(seconds, 4)
        print(f"{kind:<10} {n:>12,}  {name:<14} {seconds:9.4f} s   {load()}", flush=True)

    try:
        with app.app_context(), clock.frozen(TODAY):
            from flask_migrate import upgrade

            upgrade()
            seed_pilot_gemeenten()
            t0 = time.perf_counter()
            populate(n) if kind == "sqlite" else fill_postgresql(n)
            record("fill", time.perf_counter() - t0)
            client = app.test_client()
            _log_in(app, client)
            gemeenten = list(db.session.execute(db.select(Gemeente)).scalars())
            quarters, _ = publication.time_axis(gemeenten, clock.today())
            session = db.session
            record(
                "count",
                timed(lambda: publication.count_leaves(session, gemeenten, quarters), runs),
            )
            old = publication.count_leaves_from_incidents
            record("count_old", timed(lambda: old(session, gemeenten, quarters), old_runs))
            build = lambda: publication.build_publication(session, gemeenten, 5, clock.today())  # noqa: E731
            record("build", timed(build, runs))
            with OldReading():
                record("build_old", timed(build, old_runs))

            def cold() -> None:
                _forget_maps(shared_too=True)
                assert client.get(URL).status_code == 200

            def shared() -> None:
                _forget_maps(shared_too=False)
                assert client.get(URL).status_code == 200

            record("map_cold", timed(cold, runs))
            with OldReading():
                record("map_cold_old", timed(cold, old_runs))
            client.get(URL)  # stores the publication in the database
            record("map_shared", timed(shared, runs))
            times = []
            for _ in range(runs):
                _forget_maps(shared_too=True)
                policy.prepare_for_viewers()  # what the worker does after a change
                _forget_maps(shared_too=False)
                t0 = time.perf_counter()
                assert client.get(URL).status_code == 200
                times.append(time.perf_counter() - t0)
            record("map_worker", statistics.median(times))
            client.get(URL)
            record("page_repeat", timed(lambda: client.get(URL), 20))
            for name in ("count", "build", "map_cold"):
                ratio = out[f"{tag}_{name}_old_s"] / out[f"{tag}_{name}_s"]
                out[f"{tag}_{name}_ratio"] = round(ratio, 1)
                print(f"{kind:<10} {n:>12,}  {name:<14} old/new {ratio:6.1f}×", flush=True)
            db.session.remove()
            db.engine.dispose()
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--old-runs", type=int, default=3)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--url", help="an existing, empty PostgreSQL database (else a throwaway)")
    args = parser.parse_args()
    results: dict[str, float] = {}
    print(load(), flush=True)
    for n in args.sizes:
        results.update(bench(n, args.runs, args.old_runs, args.db, args.url))
    print("RESULT " + " ".join(f"{k}={v}" for k, v in results.items()))


if __name__ == "__main__":
    main()
