"""Benchmark: our hotspot map page vs a naive folium HeatMap of the raw points.

Generates synthetic incidents over the ten pilot gemeenten (inside their boundaries, with a
few clusters per gemeente) into a fresh SQLite database, then times, side by side, the map
(SQL group-by + Gi* + folium HTML) and the naive heat map. Run from the repository root:

    .venv/bin/python bench/hotspots.py            # 1e5 and 1e6
    .venv/bin/python bench/hotspots.py --sizes 100000 --runs 3

Ends with one line ``RESULT name=value ...`` holding every figure.
"""

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import shapely
from folium.plugins import HeatMap

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from synthetic import points_inside  # noqa: E402

from gemeenten import read_boundaries  # noqa: E402
from gemeenten.boundaries import to_wgs84  # noqa: E402
from pilot import clock, create_app  # noqa: E402
from pilot.extensions import db  # noqa: E402
from pilot.hotspots.render import render_map  # noqa: E402
from pilot.models import Boa, Gemeente, Incident, Rol  # noqa: E402
from pilot.services.derived import derive_many  # noqa: E402
from pilot.services.disclosure.policy import Viewer  # noqa: E402
from pilot.services.gemeenten import boundary_of, seed_pilot_gemeenten  # noqa: E402
from pilot.services.hotspots.grid import HotspotFilter  # noqa: E402
from pilot.services.hotspots.maps import exact_map, hotspot_map  # noqa: E402

K = 5
SHARED = ROOT.parent / "shared" / "data" / "gemeenten_2026_wgs84.geojson"
ASSETS = {n: f"/static/{n}" for n in ("leaflet", "leaflet_css", "leaflet-heat.js")}
CODES = {
    "locatie_type": ["straat", "uitgaansgebied", "horeca_terras", "ov_station", "park"],
    "afdoening": ["waarschuwing", "grensgeval", "proces_verbaal", "staandehouding"],
    "kleding": ["uniform", "burger"],
}


def populate(n: int, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    boundaries = read_boundaries(str(SHARED))
    gemeenten = db.session.execute(db.select(Gemeente)).scalars().all()
    now = clock.now()
    for g in gemeenten:
        g.grens_rd_wkb = shapely.to_wkb(boundaries[g.cbs_code])
        g.grens_bron, g.grens_geladen_op = "bench", now
        db.session.add(
            Boa(
                gemeente_id=g.id,
                code=f"BOA-{g.cbs_code}-B",
                opleidingsdatum=date(2024, 6, 1),
                mandaat_start=date(2024, 6, 1),
                actief=True,
            )
        )
    db.session.commit()
    boas = dict(db.session.execute(db.select(Boa.gemeente_id, Boa.id)).all())
    start = datetime(2025, 7, 1, tzinfo=UTC).timestamp()
    per = n // len(gemeenten)
    stamp = now.replace(tzinfo=None).isoformat(sep=" ")
    targets = [(g.id, g.cbs_code) for g in gemeenten]
    db.session.remove()
    raw = db.engine.raw_connection()
    sqlite = raw.driver_connection  # a throwaway database: no journal, no fsync
    sqlite.execute("PRAGMA synchronous=OFF")
    sqlite.execute("PRAGMA journal_mode=OFF")
    for number, (gemeente_id, cbs_code) in enumerate(targets):
        count = per if number < len(targets) - 1 else n - per * (len(targets) - 1)
        x, y = points_inside(boundaries[cbs_code], count, rng, clusters=3, clustered_share=0.3)
        lat, lon = to_wgs84(x, y)
        moments = pd.Series(
            pd.to_datetime(start + rng.uniform(0, 91 * 86400, count), unit="s", utc=True)
        )
        derived = derive_many(moments, lat, lon)
        columns = {
            "gemeente_id": gemeente_id,
            "boa_id": boas[gemeente_id],
            "tijdstip": moments.dt.tz_localize(None).dt.strftime("%Y-%m-%d %H:%M:%S.%f"),
            "lokale_datum": pd.Series(derived["lokale_datum"]).astype(str),
            "weekdag": derived["weekdag"],
            "tijdvak": derived["tijdvak"],
            "lat": np.round(lat, 6),
            "lon": np.round(lon, 6),
            "rd_x": derived["rd_x"],
            "rd_y": derived["rd_y"],
            "gedragingen": rng.integers(1, 16, count),
            "kennisname": "eigen_waarneming",
            "rol_boa": "interventie",
            "aantal_verdachten": 1,
            "leeftijd_verdachten": "18_24",
            "aantal_slachtoffers": 1,
            "slachtofferhulp": 0,
            "vingerafdruk": [f"{gemeente_id}-{i}" for i in range(count)],
            "grens_gecontroleerd": 1,
            "synthetisch": 1,
            "aangemaakt_op": stamp,
            "gewijzigd_op": stamp,
            "version": 1,
            **{k: rng.choice(v, count) for k, v in CODES.items()},
        }
        frame = pd.DataFrame(columns)
        names = ", ".join(frame.columns)
        marks = ", ".join("?" * len(frame.columns))
        sqlite.executemany(
            f"INSERT INTO incident ({names}) VALUES ({marks})",
            frame.itertuples(index=False, name=None),
        )
        sqlite.commit()
    sqlite.execute("ANALYZE")
    sqlite.commit()
    raw.close()


def ours(kaart_fn, gemeente: Gemeente | None) -> int:
    """Server time of a map page: the map (SQL + Gi* + suppression), then the folium parts."""
    kaart = kaart_fn()
    shown = [gemeente] if gemeente else db.session.execute(db.select(Gemeente)).scalars().all()
    parts = render_map(kaart, [(g.naam, boundary_of(g)) for g in shown], ASSETS)
    return parts.size


def naive(flt_gemeente: int | None) -> int:
    query = db.select(Incident.lat, Incident.lon).where(Incident.ingetrokken_op.is_(None))
    if flt_gemeente:
        query = query.where(Incident.gemeente_id == flt_gemeente)
    points = [list(row) for row in db.session.execute(query)]
    fmap = folium.Map(location=(52.1, 5.3), zoom_start=8)
    HeatMap(points).add_to(fmap)
    return len(fmap.get_root().render())


def timed(fn, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        size = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), size


def bench(n: int, runs: int, naive_runs: int) -> dict[str, float]:
    tmp = tempfile.mkdtemp(prefix="bench-hotspots-")
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
            "SECRET_KEY": "bench",
            "PSEUDONYM_KEY": "bench",
        }
    )
    tag = f"n{n:.0e}".replace("+0", "")
    out: dict[str, float] = {}
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        seed_pilot_gemeenten()
        t0 = time.perf_counter()
        populate(n)
        out[f"{tag}_insert_s"] = round(time.perf_counter() - t0, 1)
        rotterdam = db.session.execute(
            db.select(Gemeente).where(Gemeente.cbs_code == "GM0599")
        ).scalar_one()
        today = date(2026, 1, 1)
        # The quarter holds every incident: the outsider's map reads all n of them.
        quarter = HotspotFilter(van=date(2025, 7, 1), tot=date(2025, 9, 30))
        local = HotspotFilter(gemeente_ids=(rotterdam.id,))
        ministerie = Viewer(Rol.MINISTERIE)
        coordinator = Viewer(Rol.COORDINATOR, rotterdam.id)

        def outsider_quarter():
            with clock.frozen(datetime(today.year, today.month, today.day, 12, tzinfo=UTC)):
                return hotspot_map(db.session, ministerie, quarter, 500, K)

        def whole_period(size):
            return lambda: exact_map(db.session, HotspotFilter(), size, K)

        def own_gemeente():
            return hotspot_map(db.session, coordinator, local, 100, K)

        ours(outsider_quarter, None)  # warm-up: imports, caches
        cases = {
            "nat500": lambda: ours(outsider_quarter, None),
            "all500": lambda: ours(whole_period(500), None),
            "all100": lambda: ours(whole_period(100), None),
            "gem100": lambda: ours(own_gemeente, rotterdam),
            "naive_nat": lambda: naive(None),
            "naive_gem": lambda: naive(rotterdam.id),
        }
        for name, fn in cases.items():
            median, size = timed(fn, naive_runs if name.startswith("naive") else runs)
            out[f"{tag}_{name}_s"] = round(median, 3)
            out[f"{tag}_{name}_mb"] = round(size / 1e6, 3)
            print(
                f"{n:>9,}  {name:<10} median {median:7.3f} s   HTML {size / 1e6:8.3f} MB",
                flush=True,
            )
        for ours_case, naive_case in (
            ("nat500", "naive_nat"),
            ("all500", "naive_nat"),
            ("gem100", "naive_gem"),
        ):
            faster = out[f"{tag}_{naive_case}_s"] / out[f"{tag}_{ours_case}_s"]
            smaller = out[f"{tag}_{naive_case}_mb"] / out[f"{tag}_{ours_case}_mb"]
            out[f"{tag}_{ours_case}_speedup"] = round(faster, 1)
            out[f"{tag}_{ours_case}_smaller"] = round(smaller, 1)
            print(
                f"{n:>9,}  {ours_case} vs {naive_case}: {faster:.1f}x faster, "
                f"{smaller:.1f}x smaller",
                flush=True,
            )
        db.session.remove()
        db.engine.dispose()
    shutil.rmtree(tmp)  # the throwaway database: ~470 MB at 1e6
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--naive-runs", type=int, default=1)
    args = parser.parse_args()
    results: dict[str, float] = {}
    for n in args.sizes:
        results.update(bench(n, args.runs, args.naive_runs))
    print("RESULT " + " ".join(f"{k}={v}" for k, v in results.items()))


if __name__ == "__main__":
    main()
