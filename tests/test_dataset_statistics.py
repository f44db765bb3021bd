"""The dataset for statistics packages, downloaded through HTTP and read back with pyreadstat.

* every table's ``.sav`` and ``.dta`` hold the CSV's values (codes as numbers whose value
  labels are the codebook's Dutch labels, blanks as system-missing) and the codebook's
  variable labels;
* every file holds exactly the variables the codebook lists, and no identifying one;
* the outsider's boa and dienst tables give nothing finer than the publication: the
  authorised boa's per gemeente for the whole pilot as published (blank where hidden), no
  row per boa or per dienst; diensten and inzeturen per gemeente and quarter equal the
  outsider report's effort figures;
* diensten per type of area count the shifts like the time bands do (unknown apart), with
  no inzeturen per type;
* the granted extract has the boa's with pseudonym and dates and one row per dienst with
  its type of area (blank: unknown) as a labelled code;
* Stata's limits (names of 32, labels of 80 characters) are kept.
"""

import csv
import io
import json
import math
import zipfile
from datetime import date, time

import pandas as pd
import pyreadstat
import pytest

from pilot import codes
from pilot.extensions import db
from pilot.models import Boa, Rol
from pilot.services import codelists
from pilot.services.dataset.codebook import GETAL, TEKST, Variable
from pilot.services.dataset.formats import Dataset
from pilot.services.dataset.statistics import write_codebook_json, write_dta, write_sav
from pilot.services.diensten import DienstInput, create_dienst
from pilot.services.disclosure.policy import outsider_publication
from pilot.services.disclosure.publication import PILOT
from pilot.services.reports.figures import effort_figures
from tests.dataset_data import seed_pilot_data
from tests.factories import gemeente, make_boa

TABLES = ("incidenten", "diensten", "politiecijfers", "gemeenten", "boas")
IDENTIFYING = {"boa", "datum", "rij_id_app", "incident_id", "opmerking", "gebied", "tijdstip",
               "begintijd", "eindtijd", "personeelsnummer_hmac", "zaaknummer_hmac", "lat", "lon",
               "rd_x", "rd_y", "opleidingsdatum", "mandaat_start", "mandaat_eind",
               "aantal_uniform", "aantal_burger", "duur_minuten"}  # fmt: skip
DIENSTEN = [  # gemeente, date, begin, end, uniform, burger, type of area (None: unknown)
    ("GM0599", date(2024, 8, 2), time(21, 0), time(3, 0), 3, 1, "uitgaansgebied"),
    ("GM0599", date(2024, 8, 9), time(14, 0), time(20, 0), 2, 0, "winkelgebied"),
    ("GM0599", date(2025, 2, 14), time(1, 0), time(6, 0), 4, 2, None),
    ("GM0344", date(2024, 9, 6), time(22, 30), time(2, 30), 3, 0, "ov_station"),
    ("GM0344", date(2025, 10, 3), time(22, 0), time(2, 0), 2, 1, "park"),  # running quarter
]


@pytest.fixture
def pilot_data(app, frozen_clock):
    """The dataset tests' incidents, three more Rotterdam boa's (six: published exactly;
    Utrecht and Arnhem keep three, below k) and diensten through the form's service (one
    then loses its type of area, as a dienst recorded before migration 0051)."""
    with app.app_context():
        seeded = seed_pilot_data()
        for month in (7, 9, 11):
            make_boa("GM0599", opleidingsdatum=date(2024, month, 1),
                     mandaat_start=date(2024, month, 2))  # fmt: skip
        for code, datum, begin, end, uniform, burger, area in DIENSTEN:
            dienst = create_dienst(
                gemeente(code),
                DienstInput(datum, begin, end, "Centrum", uniform, burger, area or "overig"),
            )
            if area is None:
                dienst.gebiedstype = None
                db.session.commit()
        return seeded


def _download(client, url="/dataset/evaluatiedataset.zip") -> zipfile.ZipFile:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def _read(archive: zipfile.ZipFile, name: str, tmp_path, reader):
    archive.extract(name, tmp_path)
    return reader(str(tmp_path / name))


def _csv(archive: zipfile.ZipFile, name: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(archive.read(name)), dtype=str, keep_default_na=False)


def _codebook_csv(archive: zipfile.ZipFile) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read("codeboek.csv").decode())))


def _same(text: str, value) -> bool:
    """A CSV field and the value pyreadstat read back agree."""
    if text == "":
        return value is None or value == "" or (isinstance(value, float) and math.isnan(value))
    if isinstance(value, float):
        return math.isclose(float(text), value, abs_tol=1e-9)
    if isinstance(value, date):
        return value.isoformat() == text
    return str(value) == text


@pytest.mark.slow
def test_sav_and_dta_hold_the_csv_with_the_codebooks_labels(client, login_as, pilot_data, tmp_path):
    login_as(Rol.EVALUATOR)
    archive = _download(client)
    book = json.loads(archive.read("codebook.json"))
    rows = _codebook_csv(archive)
    labelled = 0
    for table in TABLES:
        assert {f"{table}.csv", f"{table}.sav", f"{table}.dta"} <= set(archive.namelist())
        frame = _csv(archive, f"{table}.csv")
        variables = book["tabellen"][table]["variabelen"]
        assert [v["naam"] for v in variables] == list(frame.columns)
        assert book["tabellen"][table]["rijen"] == len(frame)
        described = {r["variabele"]: r["omschrijving"] for r in rows if r["bestand"] == table}
        assert set(described) == set(frame.columns), "the codebook lists exactly the file"
        sav, sav_meta = _read(archive, f"{table}.sav", tmp_path, pyreadstat.read_sav)
        dta, dta_meta = _read(archive, f"{table}.dta", tmp_path, pyreadstat.read_dta)
        assert len(sav) == len(dta) == len(frame)
        for variable in variables:
            name, stored = variable["naam"], variable["naam_sav_dta"]
            assert variable["label"] == described[name]
            assert sav_meta.column_names_to_labels[stored] == variable["label"]  # < 256 bytes
            assert dta_meta.column_names_to_labels[stored] == variable["label"][:80] or (
                len(variable["label"]) > 80
                and dta_meta.column_names_to_labels[stored] == variable["label"][:79] + "…"
            )
            coded = {w["waarde"]: w for w in variable["waarden"] if variable["type"] != "0/1"}
            if coded:
                book_labels = {
                    r["code"]: r["label"]
                    for r in rows
                    if (r["bestand"], r["variabele"]) == (table, name) and r["code"] != "onderdrukt"
                }
                expected = {n: w["label"] for n, w in coded.items()}
                assert {w["code"]: w["label"] for w in coded.values()} == book_labels
                assert sav_meta.variable_value_labels[stored] == expected
                assert dta_meta.variable_value_labels[stored] == expected
                labelled += 1
                code_of = {float(n): w["code"] for n, w in coded.items()}
                for text, value in zip(frame[name], sav[stored], strict=True):
                    assert (text == "" and math.isnan(value)) or code_of[value] == text, name
                for text, value in zip(frame[name], dta[stored], strict=True):
                    assert (text == "" and math.isnan(value)) or code_of[value] == text, name
            else:
                for text, a, b in zip(frame[name], sav[stored], dta[stored], strict=True):
                    assert _same(text, a) and _same(text, b), (table, name, text, a, b)
    assert labelled >= 8


@pytest.mark.slow
def test_value_labels_are_the_current_code_lists_dutch_labels(
    app, client, login_as, pilot_data, tmp_path
):
    with app.app_context():
        codelists.add_code("gebiedstype", "strand", "Strand / boulevard")
    login_as(Rol.EVALUATOR)
    archive = _download(client)
    _, meta = _read(archive, "incidenten.sav", tmp_path, pyreadstat.read_sav)
    for name, code_list in (("afdoening", codes.AFDOENING), ("kleding", codes.KLEDING),
                            ("kennisname", codes.KENNISNAME), ("rol_boa", codes.ROL_BOA),
                            ("leeftijd_verdachten", codes.LEEFTIJD)):  # fmt: skip
        assert list(meta.variable_value_labels[name].values()) == [c.label for c in code_list.codes]
        assert list(meta.variable_value_labels[name]) == list(range(1, len(code_list.codes) + 1))
    _, meta = _read(archive, "diensten.sav", tmp_path, pyreadstat.read_sav)
    labels = meta.column_names_to_labels
    for item in codes.TIJDVAK.codes:
        assert item.label in labels[f"diensten_{item.code}"]
    for item in codes.BUILTIN_BOOK["gebiedstype"].codes:
        assert item.label in labels[f"diensten_gebied_{item.code}"]
    assert "Strand / boulevard" in labels["diensten_gebied_strand"]  # the beheerder's code
    assert "zonder type gebied" in labels["diensten_zonder_gebiedstype"]
    listed = {(r["codelijst"], r["code"]): r["label"] for r in _codebook_csv(archive)}
    assert listed[("gebiedstype", "ov_station")] == "OV / station"
    assert listed[("gebiedstype", "strand")] == "Strand / boulevard"
    book = json.loads(archive.read("codebook.json"))
    assert book["ontbrekende_waarde"]["sav"] == "system-missing"
    assert book["ontbrekende_waarde"]["code"] == "onderdrukt"


@pytest.mark.slow
def test_outsider_boa_and_dienst_tables_give_nothing_finer_than_the_publication(
    app, client, login_as, pilot_data
):
    login_as(Rol.EVALUATOR)
    archive = _download(client)
    tables = {t: _csv(archive, f"{t}.csv") for t in TABLES}
    for table, frame in tables.items():
        assert not IDENTIFYING & set(frame.columns), table
    with app.app_context():
        pseudonyms = set(db.session.execute(db.select(Boa.code)).scalars())
        publication = outsider_publication()
        published = {}
        for g in publication.gemeenten:
            shown = publication.bevoegde_boas(g.cbs_code, PILOT)
            published[g.cbs_code] = str(shown.value) if shown.exact else ""
        effort = {}
        for g in publication.gemeenten:
            for period in publication.offered_periods(g):
                if period.kind == "Q":
                    ids = [gemeente(g.cbs_code).id]
                    effort[(g.cbs_code, period.key)] = effort_figures(ids, period)[ids[0]]
    for name in archive.namelist():
        if name.endswith((".csv", ".json")):
            text = archive.read(name).decode()
            assert not any(p in text for p in pseudonyms), name

    boas = tables["boas"]
    assert list(boas.columns) == ["gemeente", "bevoegde_boas_pilot"]
    assert dict(zip(boas["gemeente"], boas["bevoegde_boas_pilot"], strict=True)) == published
    assert published["GM0344"] == "", "three boa's: below k"
    assert "0" in published.values(), "gemeenten without boa's: an exact 0"

    diensten = tables["diensten"]
    assert len(diensten) == len(effort)
    assert "2025-K4" not in set(diensten["kwartaal"]), "no running quarter"
    bands = [f"diensten_{c.code}" for c in codes.TIJDVAK.codes]
    for row in diensten.itertuples():
        figures = effort[(row.gemeente, row.kwartaal)]
        assert int(row.aantal_diensten) == figures.diensten
        assert sum(int(getattr(row, b)) for b in bands) == figures.diensten
        assert math.isclose(float(row.inzeturen), figures.inzeturen, abs_tol=0.01)
        assert math.isclose(float(row.inzeturen_uniform), figures.inzetminuten_uniform / 60,
                            abs_tol=0.01)  # fmt: skip
    areas = [f"diensten_gebied_{c.code}" for c in codes.BUILTIN_BOOK["gebiedstype"].codes]
    areas.append("diensten_zonder_gebiedstype")
    for row in diensten.itertuples():
        assert sum(int(getattr(row, a)) for a in areas) == int(row.aantal_diensten)
    assert [c for c in diensten.columns if c.startswith("inzeturen")] == [
        "inzeturen",
        "inzeturen_uniform",
        "inzeturen_burger",
    ], "no inzeturen per time band or type of area: one dienst's team size would show"
    rotterdam = diensten[(diensten["gemeente"] == "GM0599") & (diensten["kwartaal"] == "2024-K3")]
    assert rotterdam[bands].iloc[0].tolist() == ["1", "1", "0"]  # 14:00 dag, 21:00 avond
    assert rotterdam["inzeturen"].iloc[0] == "36.0"  # 6 h × 4 + 6 h × 2
    counted = {a: rotterdam[a].iloc[0] for a in areas if rotterdam[a].iloc[0] != "0"}
    assert counted == {"diensten_gebied_uitgaansgebied": "1", "diensten_gebied_winkelgebied": "1"}
    unknown = diensten[(diensten["gemeente"] == "GM0599") & (diensten["kwartaal"] == "2025-K1")]
    assert unknown["diensten_zonder_gebiedstype"].iloc[0] == "1"

    gemeenten = tables["gemeenten"]
    assert {"gemeente", "gemeente_naam", "tranche", "pilot_start", "pilot_eind",
            "inwoners"} <= set(gemeenten.columns)  # fmt: skip
    row = gemeenten[gemeenten["gemeente"] == "GM0599"].iloc[0]
    assert row["gemeente_naam"] == "Rotterdam" and row["pilot_start"] == "2024-07-01"


@pytest.mark.slow
def test_the_granted_extract_has_boas_with_dates_and_one_row_per_dienst(
    app, client, login_as, make_user, pilot_data, tmp_path
):
    from tests.test_dataset_grants import DOEL, _grant, _log_in

    evaluator = make_user(Rol.EVALUATOR, gebruikersnaam="evaluator-a")
    login_as(Rol.BEHEERDER)
    assert _grant(client, evaluator, doel=DOEL).status_code == 302
    _log_in(app, client, evaluator)
    page = client.get("/dataset/").get_data(as_text=True)
    url = page[page.index("/dataset/extract/") :].split('"')[0]
    archive = _download(client, url)
    boas = _csv(archive, "boas.csv")
    assert list(boas.columns) == ["gemeente", "boa", "opleidingsdatum", "mandaat_start",
                                  "mandaat_eind", "actief"]  # fmt: skip
    assert len(boas) == 12 and (boas["gemeente"] == "GM0599").sum() == 6
    assert "2024-09-01" in set(boas["opleidingsdatum"])
    diensten = _csv(archive, "diensten.csv")
    assert len(diensten) == len(DIENSTEN) and "gebied" not in diensten.columns
    night = diensten[diensten["datum"] == "2025-02-14"].iloc[0]
    assert night["tijdvak"] == "nacht" and night["duur_minuten"] == "300"
    assert night["gebiedstype"] == "", "recorded before the type was asked: blank, not overig"
    assert sorted(diensten["gebiedstype"]) == ["", "ov_station", "park", "uitgaansgebied",
                                               "winkelgebied"]  # fmt: skip
    sav, meta = _read(archive, "diensten.sav", tmp_path, pyreadstat.read_sav)
    assert meta.variable_value_labels["tijdvak"] == {
        float(n): c.label for n, c in enumerate(codes.TIJDVAK.codes, start=1)
    }
    gebiedstype = list(codes.BUILTIN_BOOK["gebiedstype"].codes)
    assert meta.variable_value_labels["gebiedstype"] == {
        float(n): c.label for n, c in enumerate(gebiedstype, start=1)
    }
    number = {c.code: float(n) for n, c in enumerate(gebiedstype, start=1)}
    for text, value in zip(diensten["gebiedstype"], sav["gebiedstype"], strict=True):
        assert (text == "" and math.isnan(value)) or number[text] == value
    _, dta_meta = _read(archive, "diensten.dta", tmp_path, pyreadstat.read_dta)
    assert dta_meta.variable_value_labels["gebiedstype"][number["ov_station"]] == "OV / station"
    _, meta = _read(archive, "boas.dta", tmp_path, pyreadstat.read_dta)
    assert meta.original_variable_types["opleidingsdatum"] == "%td"


def test_stata_limits_names_of_32_and_labels_of_80_characters(tmp_path):
    long_name = "een_heel_lange_variabelenaam_die_te_lang_is"
    label = "Een omschrijving die veel langer is dan de tachtig tekens die Stata toestaat. " * 4
    label = label.strip()
    variables = [
        Variable("t", long_name, GETAL, label),
        Variable("t", long_name[:32] + "_x", GETAL, "Tweede."),
        Variable("t", "naam", TEKST, "Tekst met é en ’."),
    ]
    frame = pd.DataFrame(
        {long_name: [1, None], long_name[:32] + "_x": [2, 3], "naam": ["é", None]}
    ).astype({long_name: "Int64"})
    dataset = Dataset("test", {"t": frame}, variables)
    write_sav(dataset, tmp_path)
    write_dta(dataset, tmp_path)
    write_codebook_json(dataset, tmp_path)
    book = json.loads((tmp_path / "codebook.json").read_text())
    names = [v["naam_sav_dta"] for v in book["tabellen"]["t"]["variabelen"]]
    assert all(len(n) <= 32 for n in names) and len(set(names)) == 3
    data, meta = pyreadstat.read_dta(str(tmp_path / "t.dta"))
    assert list(data.columns) == names
    assert len(meta.column_names_to_labels[names[0]]) == 80
    assert meta.column_names_to_labels[names[0]].endswith("…")
    assert math.isnan(data[names[0]][1]) and data["naam"].tolist() == ["é", ""]
    _, meta = pyreadstat.read_sav(str(tmp_path / "t.sav"))
    cut = meta.column_names_to_labels[names[0]]
    assert len(cut.encode()) <= 256 and cut.endswith("…") and label.startswith(cut[:-1])
