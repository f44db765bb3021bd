"""Benchmark of the PDF reports.

Builds a fresh SQLite database with synthetic incidents inside the real (simplified)
boundaries from ../shared/data, then measures, each in its own child process:

- the per-gemeente report of Rotterdam with 10,000 incidents (exact counts);
- the aggregate report with 100,000 incidents over the ten pilot gemeenten, from the
  protected outsider publication: cold (the publication is counted, suppressed and
  protected first) and warm (the publication is cached for the data version), and how
  much of the cold build is secondary suppression (the hypercube ``protect`` calls).

Prints median wall time, page count and the peak resident memory of the measuring process
(``ru_maxrss``, which includes C allocations of weasyprint, cairo and GEOS), and ends with
one ``RESULT name=value ...`` line.

    .venv/bin/python bench/reports.py [--gemeente-n 10000] [--totaal-n 100000] [--repeat 3]
"""

import argparse
import io
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synthetic import points_inside  # noqa: E402

SHARED = Path(os.environ.get("PILOT_SHARED_DATA", ROOT.parent / "shared" / "data"))
BOUNDARIES = SHARED / "gemeenten_2026_wgs84.geojson"
END = date(2026, 6, 30)
SEED = 429


def _app(url: str):
    from pilot import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "PSEUDONYM_KEY": "bench",
        }
    )


def _choice(rng, code_list, n: int, weights=None) -> np.ndarray:
    values = [item.code for item in code_list.codes]
    return rng.choice(values, size=n, p=weights)


def fill(url: str, counts: dict[str, int]) -> None:
    """Migrate ``url``, seed the gemeenten and boundaries, bulk-insert synthetic data."""
    import shapely
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from gemeenten import read_boundaries
    from gemeenten.boundaries import to_wgs84
    from pilot import clock, codes
    from pilot.extensions import db
    from pilot.models import Boa, Dienst, Gemeente, Incident, PolitieCijfer
    from pilot.services.derived import derive_many
    from pilot.services.gemeenten import seed_pilot_gemeenten

    rng = np.random.default_rng(SEED)
    boundaries = read_boundaries(str(BOUNDARIES))
    app = _app(url)
    with app.app_context():
        upgrade()
        seed_pilot_gemeenten()
        now = clock.now()
        for gemeente in db.session.execute(db.select(Gemeente)).scalars():
            gemeente.grens_rd_wkb = shapely.to_wkb(boundaries[gemeente.cbs_code])
            gemeente.grens_bron = BOUNDARIES.name
            gemeente.grens_geladen_op = now
            gemeente.inwoners = int(rng.integers(60_000, 660_000))
        db.session.commit()
        gemeenten = {g.cbs_code: g for g in db.session.execute(db.select(Gemeente)).scalars()}
        for cbs_code, n in counts.items():
            gemeente = gemeenten[cbs_code]
            boa_rows = [
                {
                    "gemeente_id": gemeente.id,
                    "code": f"BOA-{cbs_code[2:]}-{i:03d}",
                    "opleidingsdatum": gemeente.pilot_start - timedelta(days=30),
                    "mandaat_start": gemeente.pilot_start,
                    "actief": True,
                    "aangemaakt_op": now,
                }
                for i in range(12)
            ]
            db.session.execute(insert(Boa.__table__), boa_rows)
            boa_ids = (
                db.session.execute(db.select(Boa.id).where(Boa.gemeente_id == gemeente.id))
                .scalars()
                .all()
            )
            end = min(gemeente.pilot_eind or END, END)
            days = (end - gemeente.pilot_start).days + 1
            start = datetime.combine(gemeente.pilot_start, dtime(0), UTC)
            seconds = rng.integers(0, days * 86400 - 7200, n)
            tijdstippen = pd.Series(pd.to_datetime(start) + pd.to_timedelta(seconds, unit="s"))
            xs, ys = points_inside(
                boundaries[cbs_code], n, rng, clusters=6, clustered_share=0.65, sigma_m=400
            )
            lats, lons = to_wgs84(xs, ys)
            derived = derive_many(tijdstippen, lats, lons)
            frame = pd.DataFrame(
                {
                    "gemeente_id": gemeente.id,
                    "boa_id": rng.choice(boa_ids, n),
                    "tijdstip": tijdstippen,
                    "lat": lats,
                    "lon": lons,
                    "locatie_type": _choice(rng, codes.LOCATIE_TYPE, n),
                    "gedragingen": rng.integers(1, 16, n),
                    "kennisname": _choice(rng, codes.KENNISNAME, n),
                    "kleding": _choice(rng, codes.KLEDING, n, [0.6, 0.4]),
                    "rol_boa": _choice(rng, codes.ROL_BOA, n),
                    "afdoening": _choice(
                        rng, codes.AFDOENING, n, [0.15, 0.4, 0.03, 0.1, 0.2, 0.05, 0.02, 0.05]
                    ),
                    "aantal_verdachten": rng.integers(1, 4, n),
                    "leeftijd_verdachten": _choice(rng, codes.LEEFTIJD, n),
                    "aantal_slachtoffers": rng.integers(0, 3, n),
                    "slachtofferhulp": rng.random(n) < 0.2,
                    "vingerafdruk": [f"{cbs_code}-{i:057d}" for i in range(n)],
                    "grens_gecontroleerd": True,
                    "synthetisch": True,
                    "aangemaakt_op": tijdstippen + pd.to_timedelta(rng.exponential(2, n), unit="D"),
                    "gewijzigd_op": now,
                    "version": 1,
                }
            )
            frame = pd.concat([frame, derived], axis=1)
            frame["weekdag"] = frame["weekdag"].astype(int)
            records = frame.to_dict("records")
            for chunk in range(0, n, 20_000):
                db.session.execute(insert(Incident.__table__), records[chunk : chunk + 20_000])
            shifts = max(n // 20, 10)
            db.session.execute(
                insert(Dienst.__table__),
                [
                    {
                        "gemeente_id": gemeente.id,
                        "datum": gemeente.pilot_start + timedelta(days=int(d)),
                        "begintijd": dtime(20, 0),
                        "eindtijd": dtime(2, 0),
                        "duur_minuten": 360,
                        "gebied": "centrum",
                        "aantal_uniform": int(rng.integers(1, 4)),
                        "aantal_burger": int(rng.integers(0, 3)),
                        "synthetisch": True,
                        "aangemaakt_op": now,
                        "version": 1,
                    }
                    for d in rng.integers(0, days, shifts)
                ],
            )
            month = gemeente.pilot_start.replace(day=1)
            police = []
            while month <= end:
                police.append(
                    {
                        "gemeente_id": gemeente.id,
                        "maand": month,
                        "meldingen": int(rng.integers(0, 60)),
                        "aangiftes": int(rng.integers(0, 20)),
                        "processen_verbaal": int(rng.integers(0, 10)),
                        "aangemaakt_op": now,
                    }
                )
                month = (month.replace(day=28) + timedelta(days=5)).replace(day=1)
            db.session.execute(insert(PolitieCijfer.__table__), police)
            db.session.commit()
        db.engine.dispose()


def _measure(url: str, kind: str, repeat: int, queue) -> None:
    """Child process: one warm-up build, then ``repeat`` timed builds."""
    from pypdf import PdfReader

    from pilot import clock
    from pilot.extensions import db
    from pilot.models import Gemeente
    from pilot.services.disclosure import policy
    from pilot.services.disclosure import publication as publication_module
    from pilot.services.reports import build
    from pilot.services.reports.periods import Period

    protecting, protecting_cpu = [], []

    def timed(engine):
        def run(lattice, k):
            started, started_cpu = time.perf_counter(), time.process_time()
            result = engine(lattice, k)
            protecting[-1] += time.perf_counter() - started
            protecting_cpu[-1] += time.process_time() - started_cpu
            return result

        return run

    # instrumentation: how long secondary suppression takes (tables and maps)
    publication_module.protect = timed(publication_module.protect)
    publication_module.protect_slices = timed(publication_module.protect_slices)
    app = _app(url)
    after_the_pilot = datetime(2026, 12, 1, 12, tzinfo=UTC)
    with app.app_context(), clock.frozen(after_the_pilot):
        times, warm, suppression, suppression_cpu = [], [], [], []
        for attempt in range(repeat + 1):
            protecting.append(0.0)
            protecting_cpu.append(0.0)
            policy.forget_process_cache()  # cold: count, suppress and protect the publication
            started = time.perf_counter()
            if kind == "gemeente":
                gemeente = db.session.execute(
                    db.select(Gemeente).where(Gemeente.cbs_code == "GM0599")
                ).scalar_one()
                periode = Period(date(2024, 7, 1), date(2026, 6, 30), "Hele pilotperiode")
                report = build.build_gemeente_report(gemeente, periode)
            else:
                report = build.build_aggregate_report()
            if attempt:
                times.append(time.perf_counter() - started)
                suppression.append(protecting[-1])
                suppression_cpu.append(protecting_cpu[-1])
            if kind != "gemeente":
                started = time.perf_counter()
                build.build_aggregate_report()
                if attempt:
                    warm.append(time.perf_counter() - started)
            db.session.remove()
        pages = len(PdfReader(io.BytesIO(report.pdf)).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(
        (
            statistics.median(times),
            pages,
            peak_mb,
            len(report.pdf),
            statistics.median(warm) if warm else 0.0,
            statistics.median(suppression),
            statistics.median(suppression_cpu),
        )
    )


def measure(url: str, kind: str, repeat: int) -> tuple[float, int, float, int, float, float, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_measure, args=(url, kind, repeat, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeente-n", type=int, default=10_000)
    parser.add_argument("--totaal-n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from gemeenten import pilot_gemeenten

    codes_ = [g.cbs_code for g in pilot_gemeenten()]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PILOT_INSTANCE_PATH"] = tmp
        figures = {}
        one = f"sqlite:///{tmp}/gemeente.sqlite3"
        started = time.perf_counter()
        fill(one, {"GM0599": args.gemeente_n})
        print(f"database 1: {args.gemeente_n} incidenten in {time.perf_counter() - started:.1f} s")
        seconds, pages, peak, size, *_ = measure(one, "gemeente", args.repeat)
        print(
            f"rapport gemeente ({args.gemeente_n} incidenten): mediaan {seconds:.2f} s, "
            f"{pages} pagina's, piekgeheugen {peak:.0f} MB, {size / 1024:.0f} kB"
        )
        figures.update(gemeente_s=seconds, gemeente_pages=pages, gemeente_peak_mb=peak)
        all_ = f"sqlite:///{tmp}/totaal.sqlite3"
        started = time.perf_counter()
        per = args.totaal_n // len(codes_)
        fill(all_, {code: per for code in codes_})
        took = time.perf_counter() - started
        print(f"database 2: {per * len(codes_)} incidenten in {took:.1f} s")
        seconds, pages, peak, size, warm, suppression, suppression_cpu = measure(
            all_, "totaal", args.repeat
        )
        without = seconds - suppression
        print(
            f"rapport totaal ({per * len(codes_)} incidenten): mediaan {seconds:.2f} s koud "
            f"(waarvan secundaire onderdrukking {suppression:.2f} s wandtijd, "
            f"{suppression_cpu:.2f} s CPU; zonder: {without:.2f} s, verhouding "
            f"{seconds / without:.2f}), {warm:.2f} s warm, "
            f"{pages} pagina's, piekgeheugen {peak:.0f} MB, {size / 1024:.0f} kB"
        )
        figures.update(
            totaal_s=seconds,
            totaal_warm_s=warm,
            totaal_suppression_s=suppression,
            totaal_suppression_cpu_s=suppression_cpu,
            totaal_without_suppression_s=without,
            totaal_pages=pages,
            totaal_peak_mb=peak,
        )
    print(
        "RESULT "
        + " ".join(
            f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items()
        )
    )


if __name__ == "__main__":
    main()
