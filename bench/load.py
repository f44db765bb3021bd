"""Load benchmark: coordinators using the app through gunicorn (2 × cores workers).

    .venv/bin/python -W ignore bench/load.py --db sqlite --users 20 100 --think 1 0
    .venv/bin/python -W ignore bench/load.py --db postgresql --duration 30

Builds a fresh database (SQLite file, or a throwaway PostgreSQL server as the tests start
one) with the demo data (``flask demo``: ~5,000 incidents) and one coordinator account per
virtual user, starts ``gunicorn -c python:pilot.gunicorn_conf`` (the job worker beside it,
as ``make serve``), then runs each scenario (users × think time) for ``--duration`` seconds:
every virtual user logs in once and repeats the mix list → detail → form → post (a new
incident, with the form's CSRF token) → hotspot map of the own gemeente, waiting the think
time between requests. Prints p50/p95/max per request type, requests/s and errors, the CPU
each request cost the app's processes, the database server and this client, and the share of
the machine's time the host gave to others (steal), and ends with ``RESULT name=value ...``.
``--import-rows N`` also starts, at the beginning of each scenario, a web import of N rows
(upload, preview, confirm on the worker, progress polled once a second); the scenario then
lasts until the import is done, and reports the preview and job durations and the page p95
measured meanwhile.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-wachtwoord-429"
GEMEENTEN = {"GM0599": (51.9225, 4.4792), "GM0344": (52.0907, 5.1214), "GM0202": (51.9851, 5.8987)}
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
DETAIL = re.compile(r'href="/gemeente/GM\d{4}/incidenten/(\d+)"')
BOA = re.compile(r'<option value="(\d+)"')
FIELD_ERROR = re.compile(r'<p class="error" id="([\w-]+)-fout">([^<]*)</p>')
TYPES = ("list", "detail", "form", "post", "map")
IMPORTER = "benchimport"


def _env(database_url: str, instance: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "PILOT_INSTANCE_PATH": instance,
        "PILOT_SECRET_KEY": "bench-secret-key-" + "x" * 32,
        "PILOT_PSEUDONYM_KEY": "bench-pseudonym-key-" + "y" * 32,
    }


def prepare(database_url: str, env: dict, users: int, tmp: str) -> dict[str, str]:
    """Fresh database with demo data, ``users`` coordinators and one who imports (Rotterdam);
    returns their session cookies by name, a Rotterdam boa code and Rotterdam's pilot start.

    Every account has MFA (as every account must). The bench logs them in beforehand
    through the app's own log-in (password, then TOTP code, in a test client): 100 log-ins
    from one address would meet the log-in throttle (20 per minute), which is not what is
    measured, so its counts are reset between log-ins. The sessions are server-side rows,
    so the cookies work on every gunicorn worker.
    """
    flask = [sys.executable, "-m", "flask", "--app", "pilot"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo"], env=env, check=True, capture_output=True)
    cookies = Path(tmp) / "cookies.json"
    code = f"""
import json
import pyotp
from pilot import create_app
from pilot.extensions import db, limiter
from pilot.models import Boa, Gemeente, Rol, User
from pilot.services.users import hash_password
app = create_app()
secret = pyotp.random_base32()
cookies = {{}}
with app.app_context():
    digest = hash_password({PASSWORD!r})
    ids = dict(db.session.execute(db.select(Gemeente.cbs_code, Gemeente.id)).all())
    codes = {list(GEMEENTEN)!r}
    names = {{f"bench{{i}}": codes[i % len(codes)] for i in range({users})}}
    names[{IMPORTER!r}] = "GM0599"
    for name, cbs in names.items():
        db.session.add(User(gebruikersnaam=name, naam=name, password_hash=digest,
            rol=Rol.COORDINATOR.value, gemeente_id=ids[cbs], actief=True,
            totp_secret=secret, mfa_actief=True))
    db.session.commit()
    rotterdam = db.session.get(Gemeente, ids["GM0599"])
    cookies["pilot_start"] = rotterdam.pilot_start.isoformat()
    cookies["boa"] = db.session.execute(
        db.select(Boa.code).where(Boa.gemeente_id == rotterdam.id, Boa.actief)
    ).scalars().first()
    app.config["WTF_CSRF_ENABLED"] = False
    for name in names:
        limiter.reset()
        client = app.test_client()
        client.post("/inloggen", data={{"gebruikersnaam": name,
                                        "wachtwoord": {PASSWORD!r}}})
        answer = client.post("/inloggen/code", data={{"code": pyotp.TOTP(secret).now()}})
        assert answer.status_code == 302 and "/inloggen" not in answer.headers["Location"]
        cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
        cookies[name] = cookie.value
    limiter.reset()
with open({str(cookies)!r}, "w") as handle:
    json.dump(cookies, handle)
"""
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)
    return json.loads(cookies.read_text())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**env, "PILOT_BIND": f"127.0.0.1:{port}", "PILOT_WORKERS": str(workers)}
    log = open(Path(env["PILOT_INSTANCE_PATH"]) / "gunicorn.log", "w")  # noqa: SIM115
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    process = subprocess.Popen(
        [gunicorn, "-c", "python:pilot.gunicorn_conf", "pilot:create_app()"],
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(url + "/gezondheid", timeout=5).status_code == 200:
                return process, url
        except requests.RequestException:
            pass
        time.sleep(0.5)
    process.kill()
    raise SystemExit("gunicorn did not become healthy; see gunicorn.log")


class Reply:
    """What a virtual user reads of a response."""

    def __init__(self, status_code: int, text: str) -> None:
        self.status_code, self.text = status_code, text


class LightSession:
    """The virtual users' HTTP client: one ``http.client`` connection per request (the sync
    workers close every connection anyway), the session cookie kept up to date. Same requests
    as with ``requests``, at about a third of the client's CPU (0.7 ms a request against
    2.0): on 2 cores shared with the server, the client's CPU is measurement overhead."""

    def __init__(self, url: str, cookie: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {"session": cookie}

    def request(self, method: str, path: str, timeout: float, data: dict | None = None) -> Reply:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                value = rest.split(";", 1)[0]
                if value and "max-age=0" not in header.lower():
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
            return Reply(response.status, text)
        finally:
            connection.close()


def _session(cookie: str) -> requests.Session:
    session = requests.Session()
    session.cookies.set("session", cookie, domain="127.0.0.1", path="/")
    return session


class User(threading.Thread):
    def __init__(self, number, url, think, keep_going, results, errors, cookie, run=0,
                 measure_from=0.0):  # fmt: skip
        super().__init__(daemon=True)
        self.measure_from = measure_from  # perf_counter time; the warm-up before it is not counted
        self.cbs = list(GEMEENTEN)[number % len(GEMEENTEN)]
        self.url, self.think, self.keep_going = url, think, keep_going
        self.results, self.errors = results, errors
        self.session = LightSession(url, cookie)
        # seeded per user and per scenario: a second scenario that replayed the first one's
        # incidents had them refused as duplicates (same moment, place, boa and conduct)
        self.random = random.Random(f"{run}:{number}")

    def timed(self, kind: str, method: str, path: str, ok=(200,), **kwargs):
        t0 = time.perf_counter()
        if t0 < self.measure_from:
            return self._warming(method, path, **kwargs)
        try:
            response = self.session.request(method, path, timeout=60, **kwargs)
        except (OSError, http.client.HTTPException) as error:
            self.errors[f"{kind}:{type(error).__name__}"] += 1
            return None
        elapsed = time.perf_counter() - t0
        if response.status_code not in ok:
            # a form answered again: the first field error says why the input was refused
            reason = FIELD_ERROR.search(response.text)
            detail = f" [{reason[1]}: {reason[2][:80]}]" if reason else ""
            self.errors[f"{kind}:{response.status_code}{detail}"] += 1
        else:
            self.results[kind].append(elapsed)
        if self.think:
            time.sleep(self.think)
        return response

    def _warming(self, method: str, path: str, **kwargs):
        try:
            response = self.session.request(method, path, timeout=60, **kwargs)
        except (OSError, http.client.HTTPException):
            return None
        if self.think:
            time.sleep(self.think)
        return response

    def run(self) -> None:
        base = f"/gemeente/{self.cbs}/incidenten"
        while self.keep_going():
            listing = self.timed("list", "GET", base + "/")
            ids = DETAIL.findall(listing.text) if listing is not None else []
            if ids:
                self.timed("detail", "GET", f"{base}/{self.random.choice(ids)}")
            form = self.timed("form", "GET", base + "/nieuw")
            if form is not None and form.status_code == 200:
                self.timed(
                    "post", "POST", base + "/nieuw", ok=(302, 303), data=self._incident(form.text)
                )
            self.timed("map", "GET", f"/hotspots/gemeente/{self.cbs}/kaart")

    def _incident(self, form_html: str) -> dict:
        return incident_fields(form_html, self.random, *GEMEENTEN[self.cbs])


def incident_fields(form_html: str, rng: random.Random, lat: float, lon: float) -> dict:
    """A new incident near (lat, lon) for the incident form in ``form_html``."""
    # inside every gemeente's pilot (the last tranche starts on 1 July 2025)
    day = date(2025, 7, 1) + timedelta(days=rng.randrange(180))
    boas = BOA.findall(form_html)
    token = CSRF.search(form_html)
    return {
        "csrf_token": token.group(1) if token else "",
        "datum": day.isoformat(),
        "tijd": f"{rng.randrange(24):02d}:{rng.randrange(60):02d}",
        "boa_id": rng.choice(boas) if boas else "",
        "lat": f"{lat + rng.uniform(-0.004, 0.004):.6f}",
        "lon": f"{lon + rng.uniform(-0.004, 0.004):.6f}",
        "locatie_type": "straat", "gedragingen": "opmerkingen",
        "kennisname": "eigen_waarneming", "kleding": "uniform", "rol_boa": "interventie",
        "afdoening": "waarschuwing", "aantal_verdachten": "1",
        "leeftijd_verdachten": "18_24", "aantal_slachtoffers": "1",
    }  # fmt: skip


class Importer(threading.Thread):
    """A coordinator who imports ``rows`` rows through the web (upload, its check on the
    worker, preview, confirm) and follows the jobs' progress until they are done."""

    def __init__(self, url: str, cookie: str, rows: int, path: Path):
        super().__init__(daemon=True)
        self.url, self.rows, self.path = url, rows, path
        self.session = _session(cookie)
        self.out: dict[str, float | str] = {}
        self.progress: set = set()  # the distinct progress states the polling page saw

    def run(self) -> None:
        form_url = self.url + "/gemeente/GM0599/importeren/"
        try:
            token = CSRF.search(self.session.get(form_url, timeout=600).text).group(1)
            started = time.monotonic()
            with self.path.open("rb") as handle:
                preview = self.session.post(
                    form_url, data={"csrf_token": token},
                    files={"bestand": (self.path.name, handle)},
                    allow_redirects=False, timeout=600,
                )  # fmt: skip
            # Location is relative (Werkzeug answers with the path only)
            review = urljoin(self.url, preview.headers["Location"])
            if "/taken/" in review:  # a large file is checked on the worker first
                state = self._follow(review)
                review = urljoin(self.url, state["vervolg"])
            page = self.session.get(review, timeout=600)
            self.out["import_preview_s"] = round(time.monotonic() - started, 1)
            confirmed = time.monotonic()
            confirm = self.session.post(
                review + "/bevestigen",
                data={"csrf_token": CSRF.search(page.text).group(1)},
                allow_redirects=False, timeout=600,
            )  # fmt: skip
            job = urljoin(self.url, confirm.headers["Location"])
            state = self._follow(job)
            self.out["import_job_s"] = round(time.monotonic() - confirmed, 1)
            self.out["import_status"] = state["status"]
            self.out["import_progress_states"] = len(self.progress)
        except (requests.RequestException, AttributeError, KeyError, TypeError) as exc:
            self.out["import_status"] = f"fout:{type(exc).__name__}"

    def _follow(self, job: str) -> dict:
        """Poll a job's status each second until it is done, noting the progress seen."""
        while not (state := self.session.get(job + "/status.json", timeout=60).json())["klaar"]:
            self.progress.add((state.get("stap"), state.get("gedaan")))
            time.sleep(1)
        return state


def import_file(tmp: str, rows: int, boa: str, start: date, offset: int) -> Path:
    """``rows`` valid Rotterdam rows, one a minute from ``start`` (+ ``offset`` minutes)."""
    from datetime import datetime

    from tests.test_imports import row, write_csv

    first = datetime.combine(start, datetime.min.time()) + timedelta(days=1, minutes=offset)
    moments = (first + timedelta(minutes=i) for i in range(rows))
    return write_csv(
        Path(tmp) / f"import-{offset}.csv",
        [row(boa, datum=m.strftime("%d-%m-%Y"), tijd=m.strftime("%H:%M")) for m in moments],
    )


TICK = os.sysconf("SC_CLK_TCK")


def _process_tree_cpu(roots: list[int]) -> float:
    """CPU seconds (user + system) used so far by the live processes under ``roots``."""
    parents, used = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICK
    total, todo, seen = 0.0, list(roots), set()
    while todo:
        pid = todo.pop()
        if pid in seen or pid not in used:
            continue
        seen.add(pid)
        total += used[pid]
        todo.extend(child for child, parent in parents.items() if parent == pid)
    return total


def _machine_cpu() -> tuple[float, float]:
    """Seconds of (all, stolen) CPU time of the machine so far (``/proc/stat``): time the
    host gave to other guests shows as steal."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values[:8]) / TICK, values[7] / TICK


class CpuMeter:
    """Where the CPU went during a measured window: the app's processes (gunicorn master,
    workers, job worker), the database server's, this client's, and the host's steal."""

    def __init__(self, server_pid: int, database_pid: int | None) -> None:
        self.server, self.database = [server_pid], [database_pid] if database_pid else []
        self.start = self._read()

    def _read(self) -> tuple[float, ...]:
        machine, steal = _machine_cpu()
        return (
            _process_tree_cpu(self.server), _process_tree_cpu(self.database),
            time.process_time(), machine, steal,
        )  # fmt: skip

    def result(self, requests: int) -> dict:
        app, database, client, machine, steal = (
            b - a for a, b in zip(self.start, self._read(), strict=True)
        )
        per = 1000 / max(requests, 1)
        out = {"app_cpu_ms_per_req": round(app * per, 2)}
        if self.database:
            out["db_cpu_ms_per_req"] = round(database * per, 2)
        out["client_cpu_ms_per_req"] = round(client * per, 2)
        out["steal_pct"] = round(100 * steal / machine, 1) if machine else 0.0
        return out


def scenario(
    url: str, cookies: dict, users: int, think: float, duration: float,
    importer: Importer | None = None, run: int = 0, warmup: float = 0.0,
    meter: tuple[int, int | None] | None = None,
) -> dict:  # fmt: skip
    """Run the mix for ``warmup`` s unmeasured, then ``duration`` s measured, and (with
    ``importer``) until the import is done."""
    results: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    measure_from = time.perf_counter() + warmup
    stop_at = time.monotonic() + warmup + duration

    def keep_going() -> bool:
        return time.monotonic() < stop_at or (importer is not None and importer.is_alive())

    threads = [
        User(i, url, think, keep_going, results, errors, cookies[f"bench{i}"], run, measure_from)
        for i in range(users)
    ]
    if importer is not None:
        importer.start()
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measure_from - time.perf_counter()))
    cpu = CpuMeter(*meter) if meter else None
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - measure_from
    total = sum(len(v) for v in results.values())
    out = {"rps": round(total / elapsed, 1), "errors": sum(errors.values()), "requests": total}
    if cpu is not None:
        out.update(cpu.result(total))
    print(f"errors by request and status: {dict(sorted(errors.items()))}", flush=True)
    for kind in TYPES:
        times = sorted(results[kind])
        if times:
            out[f"{kind}_p50_ms"] = round(1000 * statistics.median(times), 1)
            out[f"{kind}_p95_ms"] = round(1000 * times[int(0.95 * (len(times) - 1))], 1)
            out[f"{kind}_max_ms"] = round(1000 * times[-1], 1)
    pages = sorted(t for kind in TYPES if kind != "map" for t in results[kind])
    if pages:
        out["pages_p95_ms"] = round(1000 * pages[int(0.95 * (len(pages) - 1))], 1)
    if importer is not None:
        out.update(importer.out)
    return out


def _postmaster(server) -> int | None:
    """The PostgreSQL server's main process (its processes' CPU is counted apart)."""
    try:
        return int((server.data / "postmaster.pid").read_text().split()[0])
    except (AttributeError, OSError, ValueError):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, nargs="+", default=[20, 100])
    parser.add_argument("--think", type=float, nargs="+", default=[1.0, 0.0])
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--import-rows", type=int, default=0)
    parser.add_argument("--warmup", type=float, default=5, help="unmeasured seconds first")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-load-")
    server = None
    if args.db == "postgresql":
        from tests.postgres import PostgresServer

        server = PostgresServer()
        server.start()
        database_url = server.create_database("bench_load").replace("+psycopg", "")
    else:
        database_url = f"sqlite:///{tmp}/load.sqlite3"
    env = _env(database_url, tmp)
    cookies = prepare(database_url, env, max(args.users), tmp)
    process, url = start_server(env, args.workers)
    results: dict[str, float] = {}
    try:
        runs = 0
        for users in args.users:
            for think in args.think:
                importer = None
                if args.import_rows:
                    start = date.fromisoformat(cookies["pilot_start"])
                    path = import_file(tmp, args.import_rows, cookies["boa"], start,
                                       runs * args.import_rows)  # fmt: skip
                    importer = Importer(url, cookies[IMPORTER], args.import_rows, path)
                runs += 1
                load_before = os.getloadavg()[0]
                out = scenario(
                    url, cookies, users, think, args.duration, importer, runs, args.warmup,
                    meter=(process.pid, _postmaster(server)),
                )  # fmt: skip
                tag = f"{args.db}_u{users}_t{think:g}"
                line = " ".join(f"{k}={v}" for k, v in out.items())
                print(f"{tag} (load {load_before:.1f}): {line}", flush=True)
                results.update({f"{tag}_{k}": v for k, v in out.items()})
    finally:
        process.terminate()
        process.wait(timeout=60)
        if server is not None:
            server.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("RESULT " + " ".join(f"{k}={v}" for k, v in results.items()))


if __name__ == "__main__":
    main()
