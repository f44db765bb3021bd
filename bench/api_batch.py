"""Benchmark of the API's incident batch: 1,000 valid incidents in one request.

    .venv/bin/python bench/api_batch.py [--runs 5] [--size 1000] [--postgresql]

Builds a fresh database (migrations, the pilot gemeenten, boundaries from the shared data,
20 boa's with a mandate, a write token for Rotterdam), then sends POST
/api/v1/gemeenten/GM0599/incidenten/batch through the whole Flask stack (the WSGI test
client: JSON, pydantic, the token and its limits, ``validate_batch`` with the boundary
test, the Core insert, the idempotency record, the audit events, the commit). Every run
sends new incidents under a new Idempotency-Key; the time is the request's wall time,
median of ``--runs``. The naive approach, the same 1,000 incidents as 1,000 single POSTs
(``create_incident`` per request, as the web form does), runs once. With ``--postgresql``
a throwaway PostgreSQL server is started as the tests do. Ends with one ``RESULT`` line.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import points_inside  # noqa: E402

SHARED_DATA = Path(os.environ.get("PILOT_SHARED_DATA", ROOT.parent / "shared" / "data"))
BOUNDARIES = SHARED_DATA / "gemeenten_2026_wgs84.geojson"
GEMEENTE = "GM0599"
URL = f"/api/v1/gemeenten/{GEMEENTE}/incidenten"
N_BOAS = 20
TARGET_S = 2.0


def build(database_url: str, folder: Path):
    """The app on a migrated database with gemeenten, boundaries, boa's and a token."""
    from flask_migrate import upgrade

    from pilot import clock, create_app
    from pilot.audit import acting_as
    from pilot.extensions import db
    from pilot.models import Boa, Gemeente, User
    from pilot.services.api import tokens
    from pilot.services.gemeenten import import_boundaries, seed_pilot_gemeenten

    os.environ["PILOT_INSTANCE_PATH"] = str(folder / "instance")
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "PSEUDONYM_KEY": "bench-pseudonym-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PILOT_API_LIMIT_SCHRIJVEN": "100000 per minute",
        }
    )
    with app.app_context(), acting_as("bench"):
        upgrade()
        seed_pilot_gemeenten()
        import_boundaries(str(BOUNDARIES))
        gemeente = db.session.execute(
            db.select(Gemeente).where(Gemeente.cbs_code == GEMEENTE)
        ).scalar_one()
        codes = [f"BOA-0599-B{i:03d}" for i in range(N_BOAS)]
        for code in codes:
            db.session.add(
                Boa(
                    gemeente_id=gemeente.id,
                    code=code,
                    opleidingsdatum=date(2024, 6, 1),
                    mandaat_start=date(2024, 6, 15),
                )
            )
        beheerder = User(
            gebruikersnaam="bench", naam="bench", password_hash="-", rol="beheerder", actief=True
        )
        db.session.add(beheerder)
        db.session.commit()
        issued = tokens.issue_token(
            beheerder,
            tokens.TokenInput(
                "bench", tokens.GEMEENTE, tokens.SCHRIJVEN, clock.today(), gemeente.id
            ),
        )
    return app, codes, issued.secret


def bodies(n: int, boa_codes: list[str], seed: int) -> list[dict]:
    """Valid incidents inside Rotterdam, in the pilot period, codes that fit together."""
    from gemeenten import read_boundaries
    from gemeenten.boundaries import to_wgs84
    from pilot import clock, codes

    rng, pick = np.random.default_rng(seed), random.Random(seed)
    boundary = read_boundaries(str(BOUNDARIES))[GEMEENTE]
    lats, lons = to_wgs84(*points_inside(boundary.buffer(-50), n, rng))
    start = datetime(2024, 7, 1, tzinfo=clock.AMSTERDAM)
    gedragingen = [c.code for c in codes.GEDRAGING.codes]
    afdoeningen = [c.code for c in codes.AFDOENING.codes if c.code != "reprimande"]
    result = []
    for i in range(n):
        moment = start + timedelta(minutes=pick.randrange(0, 360 * 24 * 60))
        result.append(
            {
                "tijdstip": moment.isoformat(),
                "locatie": {"lat": round(float(lats[i]), 6), "lon": round(float(lons[i]), 6)},
                "boa_code": pick.choice(boa_codes),
                "locatie_type": pick.choice(codes.LOCATIE_TYPE.codes).code,
                "gedragingen": pick.sample(gedragingen, pick.randint(1, 2)),
                "kennisname": pick.choice(codes.KENNISNAME.codes).code,
                "kleding": pick.choice(codes.KLEDING.codes).code,
                "rol_boa": pick.choice(codes.ROL_BOA.codes).code,
                "afdoening": pick.choice(afdoeningen),
                "aantal_verdachten": pick.randint(1, 3),
                "leeftijd_verdachten": pick.choice(codes.LEEFTIJD.codes).code,
                "aantal_slachtoffers": pick.randint(1, 2),
                "zaaknummer": f"PV-{seed}-{i:06d}" if i % 2 else None,
            }
        )
    return result


def run(database_url: str, folder: Path, runs: int, size: int) -> dict:
    app, boa_codes, secret = build(database_url, folder)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {secret}"}
    batch_seconds = []
    for i in range(runs):
        items = bodies(size, boa_codes, seed=1000 + i)
        started = time.perf_counter()
        response = client.post(
            f"{URL}/batch",
            json={"incidenten": items},
            headers={**headers, "Idempotency-Key": f"r{i}"},
        )
        batch_seconds.append(time.perf_counter() - started)
        answer = response.get_json()
        assert response.status_code == 201, answer
        assert answer["aantal"] == size
    items = bodies(size, boa_codes, seed=1)
    started = time.perf_counter()
    for item in items:
        response = client.post(URL, json=item, headers=headers)
        assert response.status_code == 201, response.get_json()
    naive = time.perf_counter() - started
    return {"batch": batch_seconds, "naive": naive}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = None
        if args.postgresql:
            from tests.postgres import PostgresServer

            server = PostgresServer()
            server.start()
            url, kind = server.create_database("bench_api"), "postgresql"
        else:
            url, kind = f"sqlite:///{folder / 'bench.sqlite3'}", "sqlite"
        try:
            figures = run(url, folder, args.runs, args.size)
        finally:
            if server is not None:
                server.stop()
    median = statistics.median(figures["batch"])
    print(f"{kind}: batch of {args.size}: " + ", ".join(f"{s:.3f}" for s in figures["batch"]))
    print(f"{kind}: median {median:.3f} s (target <= {TARGET_S} s)")
    print(f"{kind}: naive, {args.size} single POSTs: {figures['naive']:.3f} s")
    print(
        f"RESULT db={kind} size={args.size} batch_median_s={median:.3f} "
        f"batch_max_s={max(figures['batch']):.3f} naive_s={figures['naive']:.3f} "
        f"speedup={figures['naive'] / median:.1f} target_met={median <= TARGET_S}"
    )


if __name__ == "__main__":
    main()
