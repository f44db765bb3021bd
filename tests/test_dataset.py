"""The evaluation dataset and its generated codebook."""

import csv
import io
import zipfile

import geopandas as gpd
import pytest
from openpyxl import load_workbook

from pilot import codes
from pilot.codes import Code, CodeList
from pilot.extensions import db
from pilot.models import AuditEvent, Incident, Rol
from pilot.services.dataset.codebook import CODE_LISTS, codebook_rows, incident_variables
from tests.test_reports import report_data  # noqa: F401  (fixture)


def test_codebook_lists_every_code_of_every_code_list():
    rows = codebook_rows()
    present = {(row.codelijst, row.code) for row in rows}
    for code_list in codes.ALL_CODE_LISTS + codes.DERIVED_CODE_LISTS:
        for item in code_list.codes:
            assert (code_list.name, item.code) in present, (code_list.name, item.code)
            assert any(r.code == item.code and r.label == item.label for r in rows)


def test_codebook_follows_a_changed_code_list():
    extra_outcome = CodeList(
        "afdoening",
        codes.AFDOENING.titel,
        (*codes.AFDOENING.codes, Code("nieuw", "Nieuwe afdoening")),
    )
    extra_conduct = CodeList(
        "gedraging", codes.GEDRAGING.titel, (*codes.GEDRAGING.codes, Code("staren", "Staren"))
    )
    changed = [
        extra_outcome if cl.name == "afdoening" else extra_conduct if cl.name == "gedraging" else cl
        for cl in CODE_LISTS
    ]
    rows = codebook_rows(changed)
    assert len(rows) == len(codebook_rows()) + 2
    assert any(r.variabele == "afdoening" and r.code == "nieuw" for r in rows)
    assert any(r.variabele == "gedraging_staren" and r.label == "Staren" for r in rows)
    assert "gedraging_staren" in [v.naam for v in incident_variables(extra_conduct)]


@pytest.mark.slow
def test_dataset_zip_is_pseudonymised_coarsened_and_audited(
    app,
    client,
    login_as,
    report_data,  # noqa: F811
    tmp_path,
):
    user = login_as(Rol.EVALUATOR)
    response = client.get("/dataset/evaluatiedataset.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = set(archive.namelist())
    assert {"incidenten.csv", "diensten.csv", "politiecijfers.csv", "codeboek.csv",
            "codeboek.pdf", "dataset.xlsx", "incidenten.gpkg"} <= names  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(archive.read("incidenten.csv").decode())))
    codebook = list(csv.DictReader(io.StringIO(archive.read("codeboek.csv").decode())))
    variables = list(
        dict.fromkeys(r["variabele"] for r in codebook if r["bestand"] == "incidenten")
    )
    assert list(rows[0].keys()) == variables
    assert not {
        "opmerking",
        "zaaknummer_hmac",
        "vingerafdruk",
        "lat",
        "lon",
        "rd_x",
        "tijdstip",
    } & set(rows[0])
    with app.app_context():
        incidents = {
            i.id: i
            for i in db.session.execute(db.select(Incident)).scalars()
            if i.ingetrokken_op is None
        }
        assert {int(r["incident_id"]) for r in rows} == set(incidents)
        for row in rows:
            incident = incidents[int(row["incident_id"])]
            x, y = int(row["cel_x"]), int(row["cel_y"])
            assert x % 100 == 0 and y % 100 == 0
            assert x <= incident.rd_x < x + 100 and y <= incident.rd_y < y + 100
            assert (float(row["cel_lat"]), float(row["cel_lon"])) != (incident.lat, incident.lon)
            assert row["boa"] == incident.boa.code
            mask = sum(codes.gedraging_bit(c.code) for c in codes.GEDRAGING.codes
                       if row[f"gedraging_{c.code}"] == "1")  # fmt: skip
            assert mask == incident.gedragingen
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actie == "exporteren")
        ).scalar_one()
        assert event.user_id == user.id and event.entiteit == "dataset"
    workbook = load_workbook(io.BytesIO(archive.read("dataset.xlsx")), read_only=True)
    assert workbook.sheetnames == ["incidenten", "diensten", "politiecijfers", "codeboek"]
    assert len(list(workbook["incidenten"].iter_rows())) == len(rows) + 1
    workbook.close()
    archive.extract("incidenten.gpkg", tmp_path)
    gpkg = gpd.read_file(tmp_path / "incidenten.gpkg")
    assert len(gpkg) == len(rows) and gpkg.crs.to_epsg() == 28992
    assert archive.read("codeboek.pdf").startswith(b"%PDF")


@pytest.mark.slow
def test_cli_exports_the_dataset_into_a_folder(runner, report_data, tmp_path):  # noqa: F811
    result = runner.invoke(args=["dataset", "export", "--uit", str(tmp_path / "map")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "map" / "incidenten.csv").exists()
    assert (tmp_path / "map" / "codeboek.pdf").exists()
