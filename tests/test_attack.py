"""The attack suite (issue 10, item 6): play the evaluator and the ministerie through HTTP.

Each attack collects every output the role can get (``tests.attack.collect``), checks that
the outputs agree with the tabellen CSV (``read``), writes everything it knows as one
linear program (``relations``) and asks HiGHS for the range of every hidden figure
(``solve``). It runs twice: with the relations of the tables alone (sums, cross tables,
multiple response, periods, maps), and with the relations between tables that the rules
of the domain add (a proces-verbaal without case number is a proces-verbaal; a reprimande
is for a minor). A finding names the cell, its label, the range the attacker proves, the
true value (counted from the database) and the relations that pin it.

The clock stands after the pilot (2026-09-01), so the outsider periods are fixed: eight
quarters, the closed years 2024-2026 and the whole pilot.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from pilot import clock, codes
from pilot.extensions import limiter
from pilot.models import Rol, User
from pilot.services import politiecijfers
from tests.attack.collect import Collected, collect
from tests.attack.read import Reading, read
from tests.attack.relations import build
from tests.attack.solve import Finding, Result, attack
from tests.attack.truth import Truth
from tests.conftest import gemeente_by_code, log_in
from tests.factories import make_boa, make_incident

AFTER_PILOT = datetime(2026, 9, 1, 10, tzinfo=UTC)
QUARTERS = [(2024, 3), (2024, 4), (2025, 1), (2025, 2), (2025, 3), (2025, 4), (2026, 1), (2026, 2)]


class Recovered(Exception):
    """The attack found something: a hidden figure narrowed, or outputs that disagree."""


@dataclass
class Attack:
    collected: Collected
    reading: Reading
    tables: Result  # the relations of the tables alone
    domain: Result  # plus the relations between tables that the domain's rules give

    def summary(self) -> str:
        c = self.reading.counts
        return (
            f"{self.reading.role}: {c['requests']} requests in {self.collected.seconds:.1f} s "
            f"({self.collected.waits} throttle waits), {c['pdfs']} PDFs, "
            f"{c['pdf figures']} printed figures, {c['map pages']} map pages "
            f"({c['map cells']} cells), {c['map downloads']} downloads, {c['dashboards']} "
            f"dashboards ({c['dashboard figures']} figures); {c['figures']} cells "
            f"collected, {c['hidden']} hidden; LP {self.domain.variables} variables, "
            f"{self.domain.rows} relations, {self.domain.targets} targets, "
            f"{self.domain.parts} parts (largest {self.domain.largest}), "
            f"{self.tables.solves}+{self.domain.solves} solves in "
            f"{self.tables.seconds:.1f}+{self.domain.seconds:.1f} s"
        )


def run_attack(collected: Collected) -> Attack:
    reading = read(collected)
    tables = attack(build(reading, domain=False), reading.k)
    domain = attack(build(reading, domain=True), reading.k)
    return Attack(collected, reading, tables, domain)


def describe(findings: list[Finding], truth: Truth, limit: int = 25) -> str:
    """Every finding with the true value; the relations for the first few."""
    lines = []
    for number, finding in enumerate(findings):
        lines.append(f"{finding}; true value {truth.value(finding.cell)}")
        if number < 3:
            lines += [f"      {why}" for why in finding.why[:8]]
        if number >= limit:
            lines.append(f"... and {len(findings) - limit - 1} more")
            break
    return "\n".join(lines)


def problems(attack_: Attack, truth: Truth) -> list[str]:
    """What the attack found (the attack itself must be sound: AssertionError otherwise):
    outputs that disagree with the CSV, and every figure narrowed, with the tables'
    relations and once the domain's relations are added."""
    reading = attack_.reading
    assert not attack_.tables.errors and not attack_.domain.errors, attack_.domain.errors[:5]
    assert reading.counts["hidden"] > 50, "too few hidden cells for the attack to mean anything"
    wrong = [
        (str(cell), label.text, truth.value(cell))
        for cell, label in reading.published.labels.items()
        if label.exact is not None and truth.value(cell) != label.exact
    ]
    assert not wrong, f"published figures that are not the true count: {wrong[:10]}"
    found = []
    if reading.defects:
        found.append(f"outputs that disagree ({len(reading.defects)}):")
        found += reading.defects[:15]
    if attack_.tables.findings:
        found.append(f"narrowed with the tables' relations ({len(attack_.tables.findings)}):")
        found.append(describe(attack_.tables.findings, truth))
    seen = {f.cell for f in attack_.tables.findings}
    extra = [f for f in attack_.domain.findings if f.cell not in seen]
    if extra:
        found.append(f"narrowed once the domain's relations are added ({len(extra)}):")
        found.append(describe(extra, truth))
    return [attack_.summary(), *found] if found else []


def collect_as(app, user: User) -> Collected:
    """Log ``user`` in (password and TOTP) and collect everything the role can get. The
    throttle of heavy downloads only delays a patient attacker: when it answers 429, an
    hour passes (its counters are cleared) and the collector asks again."""
    client = app.test_client()
    log_in(app, client, user)

    def an_hour_passes() -> None:
        with app.app_context():  # the counters live in the app's database
            limiter.reset()

    return collect(client, user.rol, an_hour_passes)


def check_access(collected: Collected) -> None:
    """The roles get what the README says: the ministerie no gemeente report or map."""
    if collected.role == "ministerie":
        assert not collected.reports and collected.dataset is None
        assert all(unit == "NL" for unit, _q in collected.maps)
        assert collected.aggregate is not None and collected.tables_csv is not None
    else:
        assert collected.reports and collected.aggregate is not None
        assert {unit for unit, _q in collected.maps} > {"NL"}


def attack_both(app, make_user) -> tuple[Attack, Reading]:
    """Collect as evaluator and as ministerie; attack the evaluator's outputs.

    Whatever the ministerie gets, the evaluator gets too (checked here: the same tabellen
    CSV and every figure of the ministerie's outputs with the same label in the
    evaluator's). The ministerie's linear program is then the evaluator's with fewer
    bounds, so its ranges are at least as wide: nothing the evaluator cannot recover can
    the ministerie. One attack (the expensive part) covers both roles.
    """
    evaluator = collect_as(app, make_user(Rol.EVALUATOR))
    check_access(evaluator)
    ministerie = collect_as(app, make_user(Rol.MINISTERIE))
    check_access(ministerie)
    assert ministerie.tables_csv == evaluator.tables_csv
    result = run_attack(evaluator)
    theirs = read(ministerie)
    ours = result.reading.published.labels
    beyond = {c: label for c, label in theirs.published.labels.items() if ours.get(c) != label}
    assert not beyond, f"the ministerie gets figures the evaluator does not: {beyond}"
    return result, theirs


# -- the attacker works: hand-made outputs with gaps it must find ------------------------

HEADER = "tabel;eenheid;periode;codes;waarde\n"


def _collected(rows: list[str]) -> Collected:
    return Collected("evaluator", tables_csv=HEADER + "\n".join(rows) + "\n")


def _spine(unit: str, period: str, value: str) -> str:
    return f"afdoening;{unit};{period};afdoening=ALL|kleding=ALL|leeftijd=ALL;{value}"


def _table(tabel: str, unit: str, period: str, shown: dict[str, str]) -> list[str]:
    """A one-way table as the CSV has it: every code of the list, 0 where not given."""
    code_list = {"locatie_type": codes.LOCATIE_TYPE, "kennisname": codes.KENNISNAME}[tabel]
    return [
        f"{tabel};{unit};{period};{tabel}={item.code};{shown.get(item.code, '0')}"
        for item in code_list.codes
    ]


def _attack_rows(rows: list[str]) -> Result:
    reading = read(_collected(rows))
    assert not reading.defects, reading.defects
    result = attack(build(reading), reading.k)
    assert not result.errors, result.errors
    return result


def test_the_attacker_recovers_what_an_unprotected_publication_gives_away():
    """Gaps that protection must close are found exactly, and a <5 is narrowed by sums."""
    rows = [
        # a table with its total and one <5: the total minus the rest
        _spine("GM0599", "2025-K3", "20"),
        *_table("locatie_type", "GM0599", "2025-K3", {"straat": "16", "uitgaansgebied": "<5"}),
        # a map with one hidden cell, and the quarter total from the reports
        _spine("GM0599", "2025-K1", "10"),
        "kaart_500m;GM0599;2025-K1;cel=92500:437500;7",
        "kaart_500m;GM0599;2025-K1;cel=93000:437500;<5",
        # two <5 that must add up to 7: each is at least 3
        _spine("GM0344", "2025-K3", "9"),
        *_table(
            "kennisname",
            "GM0344",
            "2025-K3",
            {"eigen_waarneming": "2", "camera": "<5", "melding_omstander": "<5"},
        ),
        # a proces-verbaal without case number is a proces-verbaal: 3 of them, PV <5
        "afdoening;GM0344;2025-K3;afdoening=proces_verbaal|kleding=ALL|leeftijd=ALL;<5",
        "kwaliteit;GM0344;2025-K3;kwaliteit=pv_zonder_zaaknummer;3",
        # protected: a <5 and a × under a total that leaves the <5 its whole range
        _spine("GM0344", "2025-K2", "13"),
        *_table("locatie_type", "GM0344", "2025-K2", {"park": "<5", "straat": "×"}),
    ]
    found = {str(f.cell): f.range for f in _attack_rows(rows).findings if f.label}
    assert found.pop("locatie_type[GM0599 2025-K3 uitgaansgebied]") == (4, 4)
    assert found.pop("kaart_500m[GM0599 2025-K1 93000:437500]") == (3, 3)
    assert found.pop("kennisname[GM0344 2025-K3 camera]") == (3, 4)
    assert found.pop("kennisname[GM0344 2025-K3 melding_omstander]") == (3, 4)
    assert found.pop("afdoening[GM0344 2025-K3 proces_verbaal;ALL;ALL]") == (3, 4)
    assert not found, f"protected cells reported: {found}"
    reading = read(_collected(rows))
    without_domain = attack(build(reading, domain=False), reading.k)
    assert all(f.cell.code("afdoening") != "proces_verbaal" for f in without_domain.findings)


def test_the_attacker_recovers_a_hidden_quarter_from_its_year():
    rows = [
        _spine("GM0599", "2025-K1", "10"),
        _spine("GM0599", "2025-K2", "20"),
        _spine("GM0599", "2025-K3", "×"),
        _spine("GM0599", "2025-K4", "12"),
        _spine("GM0599", "2025", "50"),
    ]
    (finding,) = _attack_rows(rows).findings
    assert str(finding.cell) == "afdoening[GM0599 2025-K3 ALL;ALL;ALL]"
    assert finding.range == (8, 8) and finding.kind == "exact"
    assert any("kwartalen" in why for why in finding.why), finding.why


# -- seeded data with many small cells -------------------------------------------------

CENTRES = {
    "GM0599": (51.9200, 4.4750),
    "GM0344": (52.0900, 5.1200),
    "GM0034": (52.3700, 5.2200),
    "GM0917": (50.8880, 5.9800),
    "GM0361": (52.6320, 4.7480),
}
AFDOENING = ["waarschuwing"] * 10 + ["grensgeval"] * 4 + ["proces_verbaal"] * 4
AFDOENING += ["staandehouding"] * 2 + ["reprimande", "overgedragen_politie", "aanhouding"]
AFDOENING += ["geen_optreden"]
LOCATIE = ["uitgaansgebied"] * 5 + ["straat"] * 4 + ["ov_station"] * 2 + ["park", "evenement"]
KENNISNAME = ["eigen_waarneming"] * 6 + ["melding_slachtoffer"] * 2 + ["camera", "melding_meldpunt"]
LEEFTIJD = ["18_24"] * 4 + ["25_39"] * 3 + ["40_plus", "onbekend", "gemengd"]
GEDRAGINGEN = [("opmerkingen",), ("opmerkingen", "gebaren"), ("geluiden",), ("aanrakingen",)]


def _size(cbs_code: str, year: int, quarter: int, rng: np.random.Generator) -> int:
    """Incidents of a gemeente-quarter: mostly 6-30, sometimes 1-4 (left out) or none."""
    if cbs_code == "GM0917" and (year, quarter) == (2025, 4):
        return 3  # a gemeente-quarter below k
    if cbs_code == "GM0361" and (year, quarter) == (2026, 1):
        return 0
    return int(rng.integers(6, 31))


def seed_small_cells() -> None:
    """Five gemeenten in three tranches, eight quarters, small cells everywhere.

    Written with the app's own row rules (tests.factories); outcomes, locations and
    registration delays drawn with a fixed seed, rare codes kept rare; a few PVs carry a
    case number; police figures for Rotterdam; boa's with staggered mandates. Needs an
    app context and the clock after the pilot.
    """
    rng = np.random.default_rng(429)
    for cbs_code, (lat, lon) in CENTRES.items():
        gemeente = gemeente_by_code(cbs_code)
        boas = [
            make_boa(
                cbs_code,
                opleidingsdatum=gemeente.pilot_start - timedelta(days=30),
                mandaat_start=gemeente.pilot_start + timedelta(days=91 * i),
                mandaat_eind=None if i % 3 else gemeente.pilot_start + timedelta(days=400),
            )
            for i in range(3 if cbs_code in ("GM0917", "GM0361") else 6)
        ]
        for year, quarter in QUARTERS:
            start = date(year, 3 * quarter - 2, 1)
            if start < gemeente.pilot_start:
                continue
            for _ in range(_size(cbs_code, year, quarter, rng)):
                _seed_incident(rng, boas, start, lat, lon)
    rotterdam = gemeente_by_code("GM0599")
    for month in range(0, 24, 2):
        maand = date(2024 + (6 + month) // 12, (6 + month) % 12 + 1, 1)
        meldingen, aangiftes = int(rng.integers(0, 9)), int(rng.integers(0, 4))
        item = politiecijfers.PolitieInput(maand, meldingen, aangiftes, 1)
        politiecijfers.save_cijfers(rotterdam, item)


def _seed_incident(rng: np.random.Generator, boas, start: date, lat: float, lon: float):
    day = start + timedelta(days=int(rng.integers(0, 90)))
    moment = datetime(day.year, day.month, day.day, int(rng.integers(0, 24)), tzinfo=UTC)
    boa = next((b for b in boas if b.mandaat_op(day)), None)
    if boa is None:
        return
    afdoening = str(rng.choice(AFDOENING))
    leeftijd = "onder_18" if afdoening == "reprimande" else str(rng.choice(LEEFTIJD))
    with_case = afdoening == "proces_verbaal" and rng.random() < 0.3
    make_incident(
        boa,
        lat + float(rng.normal(0, 0.006)),
        lon + float(rng.normal(0, 0.009)),
        moment,
        gedragingen=GEDRAGINGEN[int(rng.integers(0, len(GEDRAGINGEN)))],
        afdoening=afdoening,
        leeftijd_verdachten=leeftijd,
        locatie_type=str(rng.choice(LOCATIE)),
        kennisname=str(rng.choice(KENNISNAME)),
        kleding="burger" if rng.random() < 0.35 else "uniform",
        rol_boa="spotter" if rng.random() < 0.2 else "interventie",
        zaaknummer=f"PV-{int(rng.integers(10**6))}" if with_case else None,
        aangemaakt_op=moment + timedelta(days=int(rng.choice([0, 1, 2, 9, 30]))),
    )


@pytest.fixture
def seeded(app, boundaries_loaded) -> None:
    with clock.frozen(AFTER_PILOT), app.app_context():
        seed_small_cells()


@pytest.mark.slow
@pytest.mark.db_independent  # seeded with a fixed seed: the same counts on both databases
def test_on_seeded_small_cells_the_attack_recovers_nothing(app, make_user, seeded):
    with clock.frozen(AFTER_PILOT):
        result, ministerie = attack_both(app, make_user)
        print(result.summary())
        with app.app_context():
            truth = Truth(result.reading.quarters, result.reading.k)
            assert truth.excluded, "the seed must leave a gemeente-quarter out"
            if found := problems(result, truth) + ministerie.defects:
                raise Recovered("\n".join(found))


# -- the demo data (acceptance) ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.db_independent  # the demo is generated with fixed seeds: the same counts on
# both databases
def test_on_the_demo_data_the_attack_recovers_nothing(app, runner, make_user):
    """Acceptance of issue 10: as evaluator and as ministerie, nothing is recovered (own
    accounts with MFA: every evaluator gets the same as the demo's)."""
    with clock.frozen(AFTER_PILOT):
        demo = runner.invoke(args=["demo"])
        assert demo.exit_code == 0, demo.output
        result, ministerie = attack_both(app, make_user)
        print(result.summary())
        # every kind of output was read (a reader that reads nothing recovers nothing)
        counts = result.reading.counts
        assert counts["pdf figures"] and counts["map cells"] and counts["dashboard figures"]
        with app.app_context():
            truth = Truth(result.reading.quarters, result.reading.k)
            if found := problems(result, truth) + ministerie.defects:
                raise Recovered("\n".join(found))
