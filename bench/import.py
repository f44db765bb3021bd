"""Benchmark of the incident file import: 1e5 valid rows, CSV and XLSX, full validation.

    .venv/bin/python bench/import.py [--rows 100000] [--runs 3]

Builds an SQLite database (migrations, the pilot gemeenten, boundaries from the shared
data, boa's with a mandate), writes the files into a temporary folder with locations
inside Rotterdam, then imports each file several times, every run in a fresh child process
on a fresh copy of the empty database. A child reports the time of the import itself
(read, parse, validate, write, commit), the CPU time it used (independent of other load on
the machine) and its peak memory (ru_maxrss). Prints the median
per format and ends with one ``RESULT name=value …`` line.
"""

import argparse
import csv
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synthetic import points_inside  # noqa: E402

SHARED_DATA = Path(os.environ.get("PILOT_SHARED_DATA", ROOT.parent / "shared" / "data"))
GEMEENTE = "GM0599"
N_BOAS = 20
CONFIG = {"SECRET_KEY": "bench", "PSEUDONYM_KEY": "bench-pseudonym-key"}
HEADER = [
    "datum", "tijd", "breedtegraad", "lengtegraad", "boa_code", "locatie_type", "gedragingen",
    "kennisname", "kleding", "rol_boa", "afdoening", "aantal_verdachten",
    "leeftijd_verdachten", "aantal_slachtoffers", "slachtofferhulp", "zaaknummer", "opmerking",
]  # fmt: skip
REMARKS = [
    "Groep jongeren bij de ingang, na waarschuwing vertrokken.",
    "Slachtoffer wilde geen aangifte doen.",
    "Samen met de politie afgehandeld.",
]


def _app(database: Path, instance: Path):
    from pilot import create_app

    os.environ["PILOT_INSTANCE_PATH"] = str(instance)
    return create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})


def build_database(folder: Path) -> tuple[Path, list[str]]:
    """An empty, migrated database with the gemeenten, boundaries and boa's."""
    from flask_migrate import upgrade

    from pilot.audit import acting_as
    from pilot.extensions import db
    from pilot.models import Boa, Gemeente
    from pilot.services.gemeenten import import_boundaries, seed_pilot_gemeenten

    database = folder / "leeg.sqlite3"
    app = _app(database, folder / "instance")
    with app.app_context(), acting_as("bench"):
        upgrade()
        seed_pilot_gemeenten()
        import_boundaries(str(SHARED_DATA / "gemeenten_2026_wgs84.geojson"))
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
        db.session.commit()
        db.engine.dispose()
    return database, codes


def random_points(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` WGS84 points inside the gemeente (sampled in RD, converted once)."""
    from gemeenten import read_boundaries
    from gemeenten.boundaries import to_wgs84

    boundary = read_boundaries(str(SHARED_DATA / "gemeenten_2026_wgs84.geojson"))[GEMEENTE]
    xs, ys = points_inside(boundary.buffer(-50), n, rng)
    lats, lons = to_wgs84(xs, ys)
    return lats, lons


def make_rows(n: int, boa_codes: list[str], seed: int = 429) -> list[list]:
    """Valid rows: dates in the pilot period, codes that fit together, half with a case number."""
    from pilot import clock, codes

    rng = np.random.default_rng(seed)
    pick = random.Random(seed)
    lats, lons = random_points(n, rng)
    start = datetime(2024, 7, 1, tzinfo=clock.AMSTERDAM)  # local wall-clock times
    gedragingen = [c.code for c in codes.GEDRAGING.codes]
    afdoeningen = [c.code for c in codes.AFDOENING.codes if c.code != "reprimande"]
    leeftijden = [c.code for c in codes.LEEFTIJD.codes]
    rows = []
    for i in range(n):
        moment = start + timedelta(minutes=pick.randrange(0, 360 * 24 * 60))
        rows.append(
            [
                moment.date(),
                moment.time(),
                round(float(lats[i]), 6),
                round(float(lons[i]), 6),
                pick.choice(boa_codes),
                pick.choice(codes.LOCATIE_TYPE.codes).code,
                ",".join(pick.sample(gedragingen, pick.randint(1, 2))),
                pick.choice(codes.KENNISNAME.codes).code,
                pick.choice(codes.KLEDING.codes).code,
                pick.choice(codes.ROL_BOA.codes).code,
                pick.choice(afdoeningen),
                pick.randint(1, 3),
                pick.choice(leeftijden),
                pick.randint(1, 2),
                pick.choice(["ja", "nee"]),
                f"PV-2025-{i:06d}" if i % 2 else "",
                pick.choice(REMARKS) if i % 10 == 0 else "",
            ]
        )
    return rows


def write_csv(path: Path, rows: list[list]) -> None:
    """As Dutch Excel saves 'CSV UTF-8': ';', decimal comma, dd-mm-jjjj, BOM."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADER)
        for row in rows:
            out = list(row)
            out[0] = row[0].strftime("%d-%m-%Y")
            out[1] = row[1].strftime("%H:%M")
            out[2] = str(row[2]).replace(".", ",")
            out[3] = str(row[3]).replace(".", ",")
            writer.writerow(out)


def write_xlsx(path: Path, rows: list[list]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Incidenten")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def child(file: Path, database: Path, instance: Path) -> None:
    """One measurement: import ``file`` into ``database`` and print the figures as JSON."""
    from pilot.audit import acting_as
    from pilot.extensions import db
    from pilot.models import Gemeente
    from pilot.services.imports import import_file

    app = _app(database, instance)
    with app.app_context(), acting_as("bench"):
        gemeente = db.session.execute(
            db.select(Gemeente).where(Gemeente.cbs_code == GEMEENTE)
        ).scalar_one()
        started, cpu_started = time.perf_counter(), time.process_time()
        result = import_file(gemeente, file, file.name)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu_seconds,
                "rows": result.analysis.rijen,
                "written": result.geschreven,
                "errors": result.analysis.rijen_met_fouten,
                "first_errors": [str(e) for e in result.analysis.fouten[:3]],
                "peak_mb": peak_kb / 1024,
            }
        )
    )


def measure(file: Path, template_db: Path, folder: Path, run: int) -> dict:
    database = folder / f"run-{file.suffix[1:]}-{run}.sqlite3"
    shutil.copy(template_db, database)
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(file), str(database), str(folder / "instance")],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    database.unlink()
    if figures["written"] != figures["rows"]:
        raise SystemExit(f"Niet alle rijen geschreven: {figures}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("FILE", "DATABASE", "INSTANCE"))
    args = parser.parse_args()
    if args.child:
        child(*(Path(p) for p in args.child))
        return
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        folder = Path(tmp)
        template_db, boa_codes = build_database(folder)
        rows = make_rows(args.rows, boa_codes)
        files = {"csv": folder / "incidenten.csv", "xlsx": folder / "incidenten.xlsx"}
        write_csv(files["csv"], rows)
        write_xlsx(files["xlsx"], rows)
        del rows
        result = {"rows": args.rows, "runs": args.runs}
        for kind, file in files.items():
            runs = [measure(file, template_db, folder, run) for run in range(args.runs)]
            seconds = statistics.median(r["seconds"] for r in runs)
            peak = statistics.median(r["peak_mb"] for r in runs)
            cpu = statistics.median(r["cpu_seconds"] for r in runs)
            size_mb = file.stat().st_size / 1024 / 1024
            print(
                f"{kind:>4}: {args.rows:,} rijen ({size_mb:.1f} MB) in {seconds:.2f} s "
                f"(mediaan van {args.runs}) = {args.rows / seconds:,.0f} rijen/s, "
                f"piekgeheugen {peak:.0f} MB; CPU-tijd {cpu:.2f} s = {args.rows / cpu:,.0f} rijen/s"
            )
            result[f"{kind}_seconds"] = round(seconds, 2)
            result[f"{kind}_rows_per_s"] = round(args.rows / seconds)
            result[f"{kind}_peak_mb"] = round(peak)
            result[f"{kind}_cpu_seconds"] = round(cpu, 2)
            result[f"{kind}_rows_per_cpu_s"] = round(args.rows / cpu)
            result[f"{kind}_file_mb"] = round(size_mb, 1)
        print("RESULT " + " ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
