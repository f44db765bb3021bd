"""The default evaluation dataset, downloaded through HTTP as the evaluator and attacked.

* k-anonymity on the quasi-identifiers, computed from the CSV alone (a blank is a value
  of its own): the measure of pycanon's ``k_anonymity``, whose releases pin numpy 2.0.2
  and pandas 2.3.3 and so cannot join the app's lock; the same minimum class size here.
* the printed suppression shares are what the file holds;
* row ids are random per export and are not the app's incident ids;
* counting rows per gemeente, quarter and code gives no suppressed table cell, and the
  attacker's LP over the publication plus the dataset narrows no suppressed cell, for
  every breakdown and every map (``tests/attack_lp.py``); a control without the blanks
  shows that the same attack does find them.
"""

import csv
import io
import itertools
import zipfile
from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from pilot import clock, codes
from pilot.codes import Code, CodeList
from pilot.extensions import db
from pilot.models import AuditEvent, Gemeente, Incident, Rol
from pilot.services.dataset import rows as source
from pilot.services.dataset.codebook import CODE_LISTS, Variable, codebook_rows, coded
from pilot.services.dataset.protected import outsider_rows
from pilot.services.disclosure.lattice import INFINITY, Status
from pilot.services.disclosure.publication import ALL, POLITIE, breakdowns, build_publication
from pilot.services.disclosure.quasi_identifiers import CELL_SIZE, HIERARCHIES
from tests.attack_lp import narrowed
from tests.dataset_data import SMALL_QUARTER, seed_pilot_data

K = 5
QIS = ["gemeente", "kwartaal", "periode", "weekdag", "tijdvak", "cel_x", "cel_y", "locatie_type"]
SUPPRESSED = (Status.PRIMARY, Status.SECONDARY, Status.MASKED)
COLUMN = {"leeftijd": "leeftijd_verdachten"}
FORBIDDEN = {"incident_id", "boa", "datum", "registratie_vertraging_dagen", "opmerking"}
FORBIDDEN |= {"zaaknummer_hmac", "vingerafdruk", "lat", "lon", "rd_x", "rd_y", "tijdstip"}


@pytest.fixture
def pilot_data(app, frozen_clock):
    with app.app_context():
        return seed_pilot_data()


def _download(client) -> zipfile.ZipFile:
    response = client.get("/dataset/evaluatiedataset.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def _table(archive: zipfile.ZipFile, name: str) -> pd.DataFrame:
    """A CSV as the attacker reads it: every value a string, a blank an empty string."""
    return pd.read_csv(io.BytesIO(archive.read(name)), dtype=str, keep_default_na=False)


def _protection(archive: zipfile.ZipFile) -> dict[tuple[str, str], str]:
    rows = csv.DictReader(io.StringIO(archive.read("codeboek.csv").decode()))
    return {(r["variabele"], r["code"]): r["label"] for r in rows if r["bestand"] == "bescherming"}


def _levels(protection: dict) -> dict:
    """The recoding each quasi-identifier got, as the codebook states it."""
    return {
        h.column: next(lv for lv in h.levels if lv.label == protection[(h.column, "niveau")])
        for h in HIERARCHIES
    }


def _with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    """The codes of the publication's touching and victim axes, as an attacker reads them
    from the rows ('' where the rows do not tell)."""
    frame = frame.copy()
    touch = frame["gedraging_aanrakingen"].astype(str)
    frame["aanraking"] = np.select([touch == "1", touch == "0"], ["met", "zonder"], "")
    victims = frame["aantal_slachtoffers"].astype(str)
    referred = frame["slachtofferhulp"].astype(str)
    frame["slachtoffer"] = np.select(
        [victims == "0", referred == "1", (victims != "") & (referred == "0")],
        ["geen", "doorverwezen", "niet_doorverwezen"],
        "",
    )
    return frame


def _publication():
    gemeenten = list(db.session.execute(db.select(Gemeente)).scalars())
    return build_publication(db.session, gemeenten, K, clock.today())


def _shown(levels: dict, variable: str, code: str) -> str:
    """What the dataset writes for ``code`` of ``variable`` at its level ('' if left out)."""
    level = levels.get(variable)
    if level is None:
        return code
    if not level.included:
        return ""
    raw = {"weekdag": int(code)} if variable == "weekdag" else {variable: code}
    return str(level.recode(pd.DataFrame([raw])).iloc[0])


@pytest.mark.slow
def test_default_dataset_is_k_anonymous_and_prints_its_risk(client, login_as, pilot_data, app):
    user = login_as(Rol.EVALUATOR)
    archive = _download(client)
    names = set(archive.namelist())
    assert {"incidenten.csv", "diensten.csv", "politiecijfers.csv", "codeboek.csv",
            "codeboek.pdf", "dataset.xlsx"} <= names  # fmt: skip
    frame = _table(archive, "incidenten.csv")
    protection = _protection(archive)
    assert not FORBIDDEN & set(frame.columns)

    achieved = int(frame.groupby(QIS).size().min())
    assert achieved >= K
    assert achieved == int(protection[("dataset", "k_bereikt")])
    assert int(protection[("dataset", "k_vereist")]) == K

    included = []
    for (variable, measure), value in protection.items():
        if measure != "onderdrukt" or variable in ("meldingen", "aangiftes", "processen_verbaal"):
            continue
        column = "cel_x" if variable == "locatie" else variable
        blank = int((frame[column] == "").sum())
        count, share = value.split(" (")
        assert int(count) == blank, variable
        assert share == f"{blank / len(frame) * 100:.1f} %)".replace(".", ","), variable
        included.append(blank)
    total = sum(included) / (len(frame) * len(included))
    assert protection[("dataset", "onderdrukt_totaal")] == f"{total * 100:.1f} %".replace(".", ",")
    assert sum(included) > 0, "the test data must need protection for this test to mean something"

    with app.app_context():
        kept = db.session.execute(
            db.select(db.func.count(Incident.id)).where(Incident.ingetrokken_op.is_(None))
        ).scalar_one()
        assert len(frame) == kept - pilot_data["running"] - pilot_data["small"]
        assert not (
            (frame["gemeente"] == SMALL_QUARTER[0]) & (frame["kwartaal"] == SMALL_QUARTER[1])
        ).any()
        assert set(frame["kwartaal"]) <= {"2024-K3", "2024-K4", "2025-K1", "2025-K2", "2025-K3"}
        assert protection[("dataset", "weggelaten_kleine_kwartalen")] == str(pilot_data["small"])
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actie == "exporteren")
        ).scalar_one()
        assert event.user_id == user.id and event.entiteit == "dataset"

    workbook = load_workbook(io.BytesIO(archive.read("dataset.xlsx")), read_only=True)
    assert workbook.sheetnames == [
        "incidenten", "diensten", "politiecijfers", "gemeenten", "boas", "codeboek"
    ]  # fmt: skip
    sheet = list(workbook["incidenten"].iter_rows(values_only=True))
    assert len(sheet) == len(frame) + 1
    column = sheet[0].index("afdoening")
    assert sum(row[column] is None for row in sheet[1:]) == (frame["afdoening"] == "").sum()
    workbook.close()
    assert archive.read("codeboek.pdf").startswith(b"%PDF")


@pytest.mark.slow
def test_row_ids_are_random_per_export_and_not_the_apps(
    client, login_as, pilot_data, app, tmp_path
):
    login_as(Rol.EVALUATOR)
    first = _table(_download(client), "incidenten.csv")
    second_archive = _download(client)
    second = _table(second_archive, "incidenten.csv")
    content = [c for c in first.columns if c != "rij_id"]
    assert sorted(map(tuple, first[content].to_numpy())) == sorted(
        map(tuple, second[content].to_numpy())
    ), "the protection is the same for the same data"
    ids = first["rij_id"].astype(int)
    assert sorted(ids) == list(range(1, len(first) + 1))
    together = first.merge(second, on=content, suffixes=("_1", "_2"))
    assert (together["rij_id_1"] != together["rij_id_2"]).mean() > 0.9
    with app.app_context():
        incidents = {
            i.id: (
                i.gemeente.cbs_code,
                f"{i.lokale_datum.year}-K{(i.lokale_datum.month - 1) // 3 + 1}",
            )
            for i in db.session.execute(db.select(Incident)).scalars()
        }
    same = [incidents.get(int(r.rij_id)) == (r.gemeente, r.kwartaal) for r in first.itertuples()]
    assert np.mean(same) < 0.6, "row ids must not be the app's incident ids"
    if "incidenten.gpkg" in second_archive.namelist():
        second_archive.extract("incidenten.gpkg", tmp_path)
        gpkg = gpd.read_file(tmp_path / "incidenten.gpkg")
        assert len(gpkg) == len(second) and gpkg.crs.to_epsg() == 28992
        assert gpkg.geometry.isna().sum() == (second["cel_x"] == "").sum()


def _check_counts(frame, publication, levels) -> int:
    """Count rows per gemeente, quarter and code as an attacker; returns the cells checked."""
    checked = 0
    for breakdown in breakdowns():
        lattice = publication.lattices[breakdown.name]
        units, times = lattice.axes[:2]
        for g in range(units.leaf_count):
            for t in range(times.leaf_count):
                cbs, quarter = units.nodes[g], times.nodes[t]
                rows = frame[(frame["gemeente"] == cbs) & (frame["kwartaal"] == quarter)]
                if rows.empty:
                    continue
                checked += _check_slice(breakdown, lattice, (g, t), rows, levels)
    return checked


def _value(lattice, cell):
    status = Status(lattice.status[cell])
    return status, int(lattice.values[cell])


def _check_slice(breakdown, lattice, slice_, rows, levels) -> int:
    checked = 0
    if breakdown.name in ("gedraging", "kwaliteit"):
        for i, code in enumerate(breakdown.axes[0].codes):
            if code in ("pv_zonder_zaaknummer", "grens_niet_gecontroleerd", "geimporteerd"):
                continue
            if breakdown.name == "gedraging":
                column, has = f"gedraging_{code}", {"1"}
            else:
                column, has = "registratie_vertraging", {"8_30", "31_plus"}
            status, value = _value(lattice, (*slice_, i))
            visible = int(rows[column].isin(has).sum())
            if status in SUPPRESSED:
                assert (rows[column] == "").all(), (breakdown.name, code, slice_)
            else:
                assert visible == value or (rows[column] == "").all(), (code, slice_)
            checked += 1
        return checked
    code_axes = lattice.axes[2:]
    nodes = [[*range(a.leaf_count), a.index(ALL)] for a in code_axes]
    for index in itertools.product(*nodes):
        cell = (*slice_, *index)
        split = [a for a, n in enumerate(index) if code_axes[a].is_leaf(n)]
        if not split or not lattice.offered[cell]:
            continue
        status, value = _value(lattice, cell)
        columns = {a: COLUMN.get(breakdown.axes[a].name, breakdown.axes[a].name) for a in split}
        codes_ = {a: code_axes[a].nodes[index[a]] for a in split}
        shown = {a: _shown(levels, columns[a], codes_[a]) for a in split}
        match = np.ones(len(rows), dtype=bool)
        blank = np.zeros(len(rows), dtype=bool)
        for a, column in columns.items():
            match &= (rows[column] == shown[a]).to_numpy() & (shown[a] != "")
            blank |= (rows[column] == "").to_numpy()
        visible = int(match.sum())
        if any(shown[a] != codes_[a] for a in split):
            continue  # a recoded level: the LP below checks it
        if status in SUPPRESSED:
            assert visible == 0, (breakdown.name, codes_, slice_, visible)
        elif status == Status.EXACT:
            assert visible <= value <= visible + int(blank.sum()), (breakdown.name, codes_, slice_)
            if len(code_axes) == 1 and columns[split[0]] not in levels:
                assert visible == value, (breakdown.name, codes_, slice_)
        checked += 1
    return checked


def _patterns(frame, columns: list[str], slices) -> dict:
    observed = {}
    for key, (cbs, quarter) in slices.items():
        rows = frame[(frame["gemeente"] == cbs) & (frame["kwartaal"] == quarter)]
        if len(rows):
            observed[key] = Counter(map(tuple, rows[columns].to_numpy()))
    return observed


def _attack(frame, police, publication, levels) -> dict[str, list]:
    """The attacker's LP for every breakdown and map, with what the dataset shows."""
    found = {}
    for breakdown in breakdowns():
        lattice = publication.lattices[breakdown.name]
        units, times = lattice.axes[:2]
        slices = {
            (g, t): (units.nodes[g], times.nodes[t])
            for g in range(units.leaf_count)
            for t in range(times.leaf_count)
        }
        if breakdown.name in ("gedraging", "kwaliteit"):
            bounds = {}
            for (g, t), (cbs, quarter) in slices.items():
                rows = frame[(frame["gemeente"] == cbs) & (frame["kwartaal"] == quarter)]
                for i, code in enumerate(breakdown.axes[0].codes):
                    if breakdown.name == "gedraging":
                        column, has = f"gedraging_{code}", {"1"}
                    elif code == "laat_geregistreerd":
                        column, has = "registratie_vertraging", {"8_30", "31_plus"}
                    else:
                        continue
                    ones = int(rows[column].isin(has).sum())
                    bounds[(g, t, i)] = (ones, ones + int((rows[column] == "").sum()))
            found[breakdown.name] = narrowed(lattice, K, {}, lambda c, p: True, 2, bounds)
            continue
        columns = [COLUMN.get(axis.name, axis.name) for axis in breakdown.axes]
        shown = [
            [_shown(levels, column, code) for code in axis.codes]
            for column, axis in zip(columns, breakdown.axes, strict=True)
        ]

        def compatible(codes_, pattern, shown=shown):
            return all(
                p == "" or p == shown[a][c]
                for a, (c, p) in enumerate(zip(codes_, pattern, strict=True))
            )

        observed = _patterns(frame, columns, slices)
        found[breakdown.name] = narrowed(lattice, K, observed, compatible)
    size = CELL_SIZE.get(levels["locatie"].name)
    for cbs, lattice in publication.maps.items():
        times, cells = lattice.axes
        rows = frame[frame["gemeente"] == cbs]
        observed = {}
        for t, quarter in enumerate(times.nodes[: times.leaf_count]):
            part = rows[rows["kwartaal"] == quarter]
            if len(part):
                observed[(t,)] = Counter(zip(part["cel_x"], part["cel_y"], strict=True))
        keys = [tuple(map(int, key.split(":"))) for key in cells.nodes[: cells.leaf_count]]

        def compatible(codes_, pattern, keys=keys):
            if pattern == ("", ""):
                return True
            x, y = keys[codes_[0]]
            px, py = int(pattern[0]), int(pattern[1])
            if size >= 500:
                return (x // size * size, y // size * size) == (px, py)
            return (px // 500 * 500, py // 500 * 500) == (x, y)

        found[lattice.name] = narrowed(lattice, K, observed, compatible, slice_axes=1)
    found["politie"] = _attack_police(police, publication)
    return found


def _attack_police(police: pd.DataFrame, publication) -> list:
    """Monthly police figures bound their quarter's figure: exactly when no month is blank."""
    lattice = publication.lattices[POLITIE.name]
    units, times, measures = lattice.axes
    bounds = {}
    quarter = police["maand"].map(lambda m: f"{m[:4]}-K{(int(m[5:7]) - 1) // 3 + 1}")
    for (cbs, code), part in police.groupby([police["gemeente"], quarter]):
        if code not in times.nodes[: times.leaf_count]:
            continue
        g, t = units.index(cbs), times.index(code)
        for m, measure in enumerate(measures.nodes[: measures.leaf_count]):
            known = part[measure][part[measure] != ""].astype(int).sum()
            exact = (part[measure] != "").all()
            bounds[(g, t, m)] = (int(known), int(known) if exact else INFINITY)
    return narrowed(lattice, K, {}, lambda c, p: True, 2, bounds)


@pytest.mark.slow
def test_the_dataset_gives_back_no_suppressed_table_or_map_cell(client, login_as, pilot_data, app):
    login_as(Rol.EVALUATOR)
    archive = _download(client)
    frame = _table(archive, "incidenten.csv")
    levels = _levels(_protection(archive))
    with app.app_context():
        publication = _publication()
        suppressed = sum(
            int(np.isin(lat.status, SUPPRESSED).sum()) for lat in publication.lattices.values()
        )
        map_suppressed = sum(
            int(np.isin(m.status, SUPPRESSED).sum()) for m in publication.maps.values()
        )
        assert suppressed > 50 and map_suppressed > 20, "the data must have small cells"
        frame = _with_derived(frame)
        assert _check_counts(frame, publication, levels) > 200
        found = _attack(frame, _table(archive, "politiecijfers.csv"), publication, levels)
    assert {name: f for name, f in found.items() if f} == {}


@pytest.mark.slow
def test_the_attack_finds_suppressed_cells_in_data_without_the_blanks(app, pilot_data):
    """The control: the same LP on the same rows without any blank recovers hidden cells."""
    with app.app_context():
        publication = _publication()
        raw, _ = outsider_rows(source.incidents(), publication)
        frame = raw.astype({"weekdag": str}).copy()
        frame["registratie_vertraging"] = raw["vertraging"].map(source.delay_band)
        frame["cel_x"] = [str(x) for x, _ in raw["cel_100"]]
        frame["cel_y"] = [str(y) for _, y in raw["cel_100"]]
        for column in [c for c in frame.columns if c.startswith("gedraging_")]:
            frame[column] = frame[column].astype(str)
        fine = {h.column: h.levels[0] for h in HIERARCHIES}
        police = source.politiecijfers().astype(object).fillna("").astype(str)
        frame = frame.astype({c: str for c in ("locatie_type", "tijdvak")})
        found = _attack(_with_derived(frame), police, publication, fine)
    recovered = {name for name, f in found.items() if f}
    assert {"afdoening", "kennisname"} <= recovered
    assert any(name.startswith("kaart") for name in recovered)
    assert "politie" in recovered


def test_codebook_lists_every_code_of_every_code_list():
    variables = [coded("incidenten", "afdoening", "Afdoening.", codes.AFDOENING, beschermd=True)]
    rows = codebook_rows(variables)
    present = {(row.codelijst, row.code) for row in rows}
    for code_list in codes.ALL_CODE_LISTS + codes.DERIVED_CODE_LISTS:
        for item in code_list.codes:
            assert (code_list.name, item.code) in present, (code_list.name, item.code)
    assert any(r.variabele == "afdoening" and r.code == "onderdrukt" for r in rows)


def test_codebook_follows_a_changed_code_list():
    extra = CodeList(
        "afdoening",
        codes.AFDOENING.titel,
        (*codes.AFDOENING.codes, Code("nieuw", "Nieuwe afdoening")),
    )
    changed = [extra if cl.name == "afdoening" else cl for cl in CODE_LISTS]
    variables = [coded("incidenten", "afdoening", "Afdoening.", extra)]
    rows = codebook_rows(variables, changed)
    assert (
        len(rows) == len(codebook_rows([coded("incidenten", "afdoening", "", codes.AFDOENING)])) + 1
    )
    assert any(r.variabele == "afdoening" and r.code == "nieuw" for r in rows)
    assert codebook_rows([Variable("x", "n", "geheel getal", "Een getal.")])[0].omschrijving


@pytest.mark.slow
def test_cli_exports_the_dataset_into_a_folder(runner, pilot_data, tmp_path):
    result = runner.invoke(args=["dataset", "export", "--uit", str(tmp_path / "map")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "map" / "incidenten.csv").exists()
    assert (tmp_path / "map" / "codeboek.pdf").exists()
    for name in ("incidenten.sav", "boas.dta", "codebook.json"):
        assert (tmp_path / "map" / name).exists(), name
