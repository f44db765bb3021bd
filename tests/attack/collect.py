"""Collect every output one outsider role can get, through the HTTP surface only.

The collector is logged in with the role's own account (a Flask test client) and asks
for everything the pages offer, and for everything else it can name (every gemeente
of the tabellen CSV with every period, every map quarter of every gemeente): what is
refused is recorded, what is given is kept. So a role that is wrongly given more than
its pages offer is attacked with that too.

Heavy downloads are throttled per user (30 an hour): a patient attacker waits. On a 429
the collector calls ``wait`` (the test lets the throttle's hour pass by clearing its
counters) and asks again; ``Collected.waits`` says how many hours collecting took.
"""

import csv
import io
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from flask.testing import FlaskClient
from pyproj import Transformer

REPORTS = "/rapporten/"
TABLES = "/rapporten/tabellen.csv"
AGGREGATE = "/rapporten/totaal.pdf"
GEMEENTE_REPORT = "/rapporten/gemeente.pdf?gemeente={gemeente}&periode={periode}"
NATIONAL_MAP = "/hotspots/kaart"
GEMEENTE_MAP = "/hotspots/gemeente/{gemeente}/kaart"
DOWNLOAD = "/download/{fmt}"
DATASET = "/dataset/evaluatiedataset.zip"
HOME = "/"
NATIONAL_DASHBOARD = "/dashboard/"
GEMEENTE_DASHBOARD = "/dashboard/gemeente/{gemeente}?periode={periode}"
NATIONAL = "NL"
CELL_M = 500
TOO_MANY = 429
_TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


@dataclass(frozen=True)
class MapCell:
    """One cell of a map page's payload: RD corner key ("x:y"), count (-1 "<k", -2 "×")."""

    key: str
    count: int
    klasse: int


@dataclass
class Collected:
    """Everything one role got, keyed by what it asked for."""

    role: str
    tables_csv: str | None = None
    gemeenten: dict[str, str] = field(default_factory=dict)  # code -> naam (reports page)
    periods: list[str] = field(default_factory=list)  # offered period keys (reports page)
    reports: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (gemeente, periode)
    aggregate: bytes | None = None
    map_quarters: list[str] = field(default_factory=list)  # quarter codes offered on maps
    maps: dict[tuple[str, str], list[MapCell]] = field(default_factory=dict)  # (unit, q)
    downloads: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (unit, q, fmt)
    dataset: bytes | None = None
    dashboards: dict[tuple[str, str], str] = field(default_factory=dict)  # (unit, periode)
    refused: dict[str, int] = field(default_factory=dict)  # url -> status
    requests: int = 0
    waits: int = 0  # throttle windows waited out
    seconds: float = 0.0

    @property
    def csv_rows(self) -> list[dict[str, str]]:
        if self.tables_csv is None:
            return []
        return list(csv.DictReader(io.StringIO(self.tables_csv), delimiter=";"))


def quarter_code(start: str) -> str:
    """'2025-07-01' -> '2025-K3'."""
    year, month, _day = start.split("-")
    return f"{year}-K{(int(month) - 1) // 3 + 1}"


def quarter_start(code: str) -> str:
    year, quarter = code.split("-K")
    return f"{year}-{3 * (int(quarter) - 1) + 1:02d}-01"


def _options(html: str, select_id: str) -> list[tuple[str, str]]:
    match = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S)
    if match is None:
        return []
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', match.group(1))


def map_payload(html: str) -> list[MapCell]:
    """The cells of a map page (six integers per cell: south, west, height and width in
    1e-5 degrees, the count or its mark, the Gi* class), with their RD corner recomputed."""
    match = re.search(r'"cellen":\[([-\d,]*)\]', html)
    if match is None or not match.group(1):
        return []
    flat = [int(v) for v in match.group(1).split(",")]
    cells = []
    for i in range(0, len(flat), 6):
        south, west, _height, _width, count, klasse = flat[i : i + 6]
        x, y = _TO_RD.transform(west / 1e5, south / 1e5)
        key = f"{round(x / CELL_M) * CELL_M}:{round(y / CELL_M) * CELL_M}"
        cells.append(MapCell(key, count, klasse))
    return cells


class Collector:
    """One role's client; ``run`` asks for everything."""

    def __init__(self, client: FlaskClient, role: str, wait: Callable[[], None]) -> None:
        self.client = client
        self.wait = wait
        self.found = Collected(role)

    def get(self, url: str) -> bytes | None:
        self.found.requests += 1
        response = self.client.get(url)
        if response.status_code == TOO_MANY:  # throttled: wait for the window, ask again
            self.found.waits += 1
            self.wait()
            response = self.client.get(url)
        if response.status_code == 200:
            return response.data
        self.found.refused[url] = response.status_code
        return None

    def run(self, dataset: bool = True) -> Collected:
        started = time.perf_counter()
        found = self.found
        page = self.get(REPORTS)
        if page is not None:
            html = page.decode()
            found.gemeenten = {
                code: re.sub(r"\s*\([^)]*\)$", "", naam)
                for code, naam in _options(html, "gemeente")
            }
            found.periods = [key for key, _ in _options(html, "periode")]
        if (text := self.get(TABLES)) is not None:
            found.tables_csv = text.decode("utf-8")
        found.aggregate = self.get(AGGREGATE)
        self._reports()
        self._maps()
        self._dashboards()
        if dataset:
            found.dataset = self.get(DATASET)
        found.seconds = time.perf_counter() - started
        return found

    def _units(self) -> list[str]:
        """Every gemeente the role can name: the reports page and the tabellen CSV."""
        units = set(self.found.gemeenten)
        units |= {row["eenheid"] for row in self.found.csv_rows if row["eenheid"][:2] == "GM"}
        return sorted(units)

    def _periods(self) -> list[str]:
        periods = list(self.found.periods)
        for row in self.found.csv_rows:
            if row["periode"] not in periods:
                periods.append(row["periode"])
        return periods

    def _reports(self) -> None:
        for gemeente in self._units():
            for periode in self._periods():
                url = GEMEENTE_REPORT.format(gemeente=gemeente, periode=periode)
                if (pdf := self.get(url)) is not None:
                    self.found.reports[(gemeente, periode)] = pdf

    def _maps(self) -> None:
        quarters: list[str] = []
        page = self.get(NATIONAL_MAP)
        if page is not None:
            quarters = [quarter_code(v) for v, _ in _options(page.decode(), "kwartaal") if v]
        for row in self.found.csv_rows:  # quarters the role can name from the tables
            if "-K" in row["periode"] and row["periode"] not in quarters:
                quarters.append(row["periode"])
        self.found.map_quarters = sorted(quarters)
        bases = [(NATIONAL, NATIONAL_MAP)] + [
            (g, GEMEENTE_MAP.format(gemeente=g)) for g in self._units()
        ]
        for unit, base in bases:
            for quarter in self.found.map_quarters:
                query = f"?kwartaal={quarter_start(quarter)}"
                page = self.get(base + query)
                if page is None:
                    continue
                self.found.maps[(unit, quarter)] = map_payload(page.decode())
                for fmt in ("csv", "geojson"):
                    body = self.get(base + DOWNLOAD.format(fmt=fmt) + query)
                    if body is not None:
                        self.found.downloads[(unit, quarter, fmt)] = body.decode("utf-8")

    def _dashboards(self) -> None:
        """The start page's key figures (the whole pilot, nationally) and every dashboard
        for every period the role can name; a page is kept under the period it shows."""
        if (page := self.get(HOME)) is not None:
            self.found.dashboards[("home", "P")] = page.decode()
        requests = [(NATIONAL, f"{NATIONAL_DASHBOARD}?periode={p}") for p in self._periods()]
        requests += [
            (g, GEMEENTE_DASHBOARD.format(gemeente=g, periode=p))
            for g in self._units()
            for p in self._periods()
        ]
        for unit, url in requests:
            if (page := self.get(url)) is None:
                continue
            html = page.decode()
            if (period := shown_period(html)) is not None:
                self.found.dashboards[(unit, period)] = html


def shown_period(html: str) -> str | None:
    """The period a dashboard shows: the selected option (an unknown one falls back)."""
    match = re.search(r'<select[^>]*id="periode".*?</select>', html, re.S)
    if match is None:
        return None
    chosen = re.search(r'<option value="([^"]*)" selected', match.group(0))
    return chosen.group(1) if chosen else None


def collect(
    client: FlaskClient, role: str, wait: Callable[[], None], dataset: bool = True
) -> Collected:
    """Everything ``role`` (logged in on ``client``) can get over HTTP; ``wait`` lets a
    throttle window pass."""
    return Collector(client, role, wait).run(dataset)


def download_cells(body: str, fmt: str) -> list[tuple[str, str, int]]:
    """The cells of a map download as (gemeente, "x:y", count)."""
    if fmt == "csv":
        rows = csv.DictReader(io.StringIO(body), delimiter=";")
        return [(r["gemeente"], f"{r['x_rd']}:{r['y_rd']}", int(r["aantal"])) for r in rows]
    features = json.loads(body)["features"]
    return [
        (p["gemeente"], f"{p['x_rd']}:{p['y_rd']}", int(p["aantal"]))
        for p in (f["properties"] for f in features)
    ]
