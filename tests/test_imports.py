"""File import of incidents: real CSV and XLSX files written here, through the service,
the CLI and the web flow (upload → preview → confirm)."""

import csv
import io
import re
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest

from pilot.clock import AMSTERDAM
from pilot.extensions import db
from pilot.models import AuditEvent, ImportUpload, Incident, Rol
from pilot.services.imports import analyse
from tests.factories import gemeente, make_boa

HEADER = [
    "datum", "tijd", "breedtegraad", "lengtegraad", "boa_code", "locatie_type", "gedragingen",
    "kennisname", "kleding", "rol_boa", "afdoening", "aantal_verdachten",
    "leeftijd_verdachten", "aantal_slachtoffers", "slachtofferhulp", "zaaknummer", "opmerking",
]  # fmt: skip
ROTTERDAM = (51.9225, 4.47917)
UTRECHT = (52.0907, 5.1214)
ROTTERDAM_RD = (92500.0, 437500.0)


def row(boa_code: str, **changes) -> dict:
    values = {
        "datum": "12-09-2025",
        "tijd": "21:30",
        "breedtegraad": ROTTERDAM[0],
        "lengtegraad": ROTTERDAM[1],
        "boa_code": boa_code,
        "locatie_type": "uitgaansgebied",
        "gedragingen": "opmerkingen,gebaren",
        "kennisname": "eigen_waarneming",
        "kleding": "burger",
        "rol_boa": "spotter",
        "afdoening": "waarschuwing",
        "aantal_verdachten": 1,
        "leeftijd_verdachten": "18_24",
        "aantal_slachtoffers": 1,
        "slachtofferhulp": "nee",
        "zaaknummer": "",
        "opmerking": "",
    }
    values.update(changes)
    return values


def write_csv(path: Path, rows: list[dict], encoding="utf-8-sig", delimiter=";", header=HEADER):
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        for values in rows:
            writer.writerow([str(values.get(name, "")).replace(".", ",") if delimiter == ";"
                             and isinstance(values.get(name), float) else values.get(name, "")
                             for name in header])  # fmt: skip
    return path


def write_xlsx(path: Path, rows: list[dict], header=HEADER) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Incidenten"
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(name) for name in header])
    workbook.save(path)
    return path


@pytest.fixture
def boa_code(app, boundaries_loaded) -> str:
    with app.app_context():
        return make_boa("GM0599", code="BOA-0599-AB12").code


def incident_count() -> int:
    return db.session.execute(db.select(db.func.count(Incident.id))).scalar_one()


def import_events() -> list[AuditEvent]:
    query = db.select(AuditEvent).where(AuditEvent.actie == "import")
    return list(db.session.execute(query).scalars())


def test_good_and_bad_rows_give_exactly_the_expected_row_errors(app, boa_code, tmp_path):
    rows = [
        row(boa_code, datum=date(2025, 9, 12), tijd=time(21, 30)),  # 2: Excel date/time cells
        row(boa_code, datum="31-02-2025"),  # 3
        row(boa_code, tijd="20:04", afdoening="boete"),  # 4
        row("BOA-XXXX", tijd="20:05"),  # 5
        row(boa_code, tijd="20:06", breedtegraad=UTRECHT[0], lengtegraad=UTRECHT[1]),  # 6
        row(boa_code, tijd="20:07", opmerking="Bel 0612345678"),  # 7
        row(boa_code, tijd="25:00", aantal_verdachten="twee"),  # 8
        row(
            boa_code,
            datum="2025-09-13",
            afdoening="aanspreken / WAARSCHUWING",
            gedragingen="Opmerkingen, geluiden",
        ),  # 9: labels and ISO date  # fmt: skip
        row(boa_code, datum="13-09-2025", tijd="01:15", gedragingen="fluiten"),  # 10
    ]
    path = write_xlsx(tmp_path / "gemengd.xlsx", rows)
    with app.app_context():
        analysis = analyse(gemeente("GM0599"), path, path.name)
        found = {(e.rij, e.kolom): e.melding for e in analysis.fouten}
        assert incident_count() == 0
    assert found == {
        (3, "datum/tijd"): "Deze datum bestaat niet (dag of maand te groot).",
        (4, "afdoening"): "Onbekende code voor 'Afdoening': kies uit de codelijst.",
        (5, "boa_code"): (
            "Onbekende boa-code voor Rotterdam: gebruik de code uit de lijst van boa's "
            "(zie het sjabloon)."
        ),
        (
            6,
            "locatie",
        ): "De locatie ligt buiten de gemeente Rotterdam (ook met een marge van 250 m).",
        (7, "opmerking"): (
            "De opmerking lijkt een telefoonnummer te bevatten. Verwijder dit: noteer geen "
            "namen, adressen, geboortedatums, BSN, rekeningnummers, telefoonnummers, "
            "e-mailadressen of kentekens."
        ),
        (8, "datum/tijd"): "Tijd niet herkend: gebruik uu:mm (bijvoorbeeld 21:30).",
        (8, "aantal_verdachten"): "De waarde in kolom aantal_verdachten is geen getal.",
        (10, "gedragingen"): (
            "Onbekende gedraging: kies uit opmerkingen, gebaren, geluiden, aanrakingen."
        ),
    }
    assert (analysis.rijen, analysis.geldig, analysis.rijen_met_fouten) == (9, 2, 7)


def test_cli_alles_of_niets_writes_nothing_when_one_row_fails(app, runner, boa_code, tmp_path):
    path = write_csv(
        tmp_path / "een-fout.csv", [row(boa_code), row(boa_code, tijd="23:59", afdoening="boete")]
    )
    result = runner.invoke(
        args=["imports", "incidenten", str(path), "--gemeente", "GM0599", "--alles-of-niets"]
    )
    assert result.exit_code == 1
    assert "Rij 3, afdoening: Onbekende code voor 'Afdoening'" in result.output
    with app.app_context():
        assert incident_count() == 0
        [event] = import_events()
        assert event.details["geschreven"] == 0 and event.details["fouten"] == 1

    result = runner.invoke(args=["imports", "incidenten", str(path), "--gemeente", "GM0599"])
    assert result.exit_code == 0, result.output
    assert "1 geïmporteerd, 1 met fouten" in result.output
    with app.app_context():
        assert incident_count() == 1


def test_second_import_of_the_same_file_adds_nothing(app, runner, boa_code, tmp_path):
    rows = [
        row(boa_code, zaaknummer="PV-2025-0001"),
        row(boa_code, tijd="22:00"),
        row(boa_code, tijd="22:00"),  # repeated within the file
        row(boa_code, tijd="23:10", zaaknummer="PV 2025 0001"),  # same case number, other form
    ]
    path = write_xlsx(tmp_path / "twee-keer.xlsx", rows)
    args = ["imports", "incidenten", str(path), "--gemeente", "GM0599"]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "4 rijen, 2 geïmporteerd, 0 met fouten, 0 al aanwezig, 2 dubbel" in first.output
    second = runner.invoke(args=args)
    assert second.exit_code == 0, second.output
    assert "4 rijen, 0 geïmporteerd, 0 met fouten, 4 al aanwezig, 0 dubbel" in second.output
    with app.app_context():
        assert incident_count() == 2
        events = import_events()
        assert [e.details["geschreven"] for e in events] == [2, 0]
        assert [e.details["al_aanwezig"] for e in events] == [2, 4]
        assert events[0].details["soort"] == "xlsx" and "bestand" not in events[0].details
        created = db.select(AuditEvent).where(AuditEvent.entiteit == "incident",
                                              AuditEvent.actie == "aanmaken")  # fmt: skip
        assert db.session.execute(created).first() is None  # one event per import, not per row


def test_windows_1252_semicolon_csv_with_labels_and_decimal_commas(app, runner, boa_code, tmp_path):
    rows = [row(boa_code, leeftijd_verdachten="18–24 jaar", opmerking="Bij het café op de hoek",
                kleding="In burger", slachtofferhulp="Ja")]  # fmt: skip
    path = write_csv(tmp_path / "excel.csv", rows, encoding="cp1252")
    assert "51,9225" in path.read_text(encoding="cp1252")
    result = runner.invoke(args=["imports", "incidenten", str(path), "--gemeente", "GM0599"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        incident = db.session.execute(db.select(Incident)).scalar_one()
        assert incident.opmerking == "Bij het café op de hoek"
        assert (incident.leeftijd_verdachten, incident.kleding) == ("18_24", "burger")
        assert incident.slachtofferhulp is True
        assert incident.lat == pytest.approx(ROTTERDAM[0])
        assert incident.tijdstip == datetime(2025, 9, 12, 19, 30, tzinfo=incident.tijdstip.tzinfo)
        # the model's defaults, also where PostgreSQL's COPY writes the rows
        assert (incident.synthetisch, incident.geimporteerd, incident.version) == (False, True, 1)
        assert incident.aangemaakt_op is not None and incident.import_batch is None


def test_comma_separated_utf8_csv_without_bom(app, runner, boa_code, tmp_path):
    path = write_csv(tmp_path / "komma.csv", [row(boa_code)], encoding="utf-8", delimiter=",")
    result = runner.invoke(args=["imports", "incidenten", str(path), "--gemeente", "GM0599"])
    assert result.exit_code == 0, result.output
    assert "1 geïmporteerd" in result.output


def test_rd_coordinates_are_recognised_and_converted(app, runner, boa_code, tmp_path):
    x, y = ROTTERDAM_RD
    in_latlon_columns = row(boa_code, breedtegraad=y, lengtegraad=x)
    header = [h for h in HEADER if h not in {"breedtegraad", "lengtegraad"}] + ["RD x", "rd_y"]
    own_columns = row(boa_code, tijd="23:00", **{"RD x": x, "rd_y": y})
    write_xlsx(tmp_path / "a.xlsx", [in_latlon_columns])
    write_xlsx(tmp_path / "b.xlsx", [own_columns], header=header)
    for name in ("a.xlsx", "b.xlsx"):
        args = ["imports", "incidenten", str(tmp_path / name), "--gemeente", "GM0599"]
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "1 rij met RD-coördinaten omgerekend" in result.output  # not "1 rijen"
    with app.app_context():
        incidents = db.session.execute(db.select(Incident)).scalars().all()
        assert len(incidents) == 2
        for incident in incidents:
            assert (incident.rd_x, incident.rd_y) == pytest.approx(ROTTERDAM_RD, abs=0.5)
            assert 51.8 < incident.lat < 52.0 and 4.3 < incident.lon < 4.6


def _broken_files(tmp_path: Path, boa_code: str) -> dict[str, tuple[Path, str]]:
    zip_not_xlsx = tmp_path / "kapot.xlsx"
    zip_not_xlsx.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 200)
    text_as_xlsx = tmp_path / "tekst.xlsx"
    text_as_xlsx.write_text("datum;tijd\n", encoding="utf-8")
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(b"%PDF-1.4 \x00\x01")
    xls = tmp_path / "oud.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    missing = write_csv(tmp_path / "mist.csv", [row(boa_code)], header=HEADER[:4] + HEADER[6:])
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"")
    return {
        "kapot": (zip_not_xlsx, "Het Excel-bestand is beschadigd"),
        "tekst": (text_as_xlsx, "geen echt .xlsx-bestand"),
        "pdf": (pdf, "Dit bestandstype wordt niet ondersteund"),
        "xls": (xls, "oud Excel-bestand (.xls)"),
        "mist": (missing, "verplichte kolommen ontbreken in de eerste rij: boa_code"),
        "leeg": (empty, "Het bestand is leeg."),
    }


def test_bad_files_give_dutch_messages_and_write_nothing(app, client, login_as, boa_code, tmp_path):
    login_as(Rol.COORDINATOR, "GM0599")
    for name, (path, message) in _broken_files(tmp_path, boa_code).items():
        response = client.post(
            "/gemeente/GM0599/importeren/",
            data={"bestand": (io.BytesIO(path.read_bytes()), path.name)},
            content_type="multipart/form-data",
        )
        assert response.status_code == 200, name
        assert message in response.get_data(as_text=True), name
    with app.app_context():
        assert incident_count() == 0 and import_events() == []
        assert db.session.execute(db.select(ImportUpload)).first() is None


def test_size_limit_has_a_clear_message_in_the_cli(app, runner, tmp_path):
    huge = tmp_path / "groot.csv"
    huge.write_bytes(b"datum;tijd\n" + b"x;y\n" * (17 * 1024 * 1024 // 4))
    result = runner.invoke(args=["imports", "incidenten", str(huge), "--gemeente", "GM0599"])
    assert result.exit_code == 1
    assert "Het bestand is 17 MB; de grens is 16 MB." in result.output
    with app.app_context():
        assert incident_count() == 0


def test_row_limit_has_a_clear_message(app, boa_code, tmp_path):
    from pilot.services.imports import ImportFileError

    path = write_csv(tmp_path / "veel.csv", [row(boa_code, tijd=f"20:{m:02d}") for m in range(4)])
    with app.app_context(), pytest.raises(ImportFileError, match="meer dan 3 rijen"):
        analyse(gemeente("GM0599"), path, path.name, max_rows=3)


def test_template_round_trip_through_the_web_flow(app, client, login_as, boa_code, tmp_path):
    login_as(Rol.COORDINATOR, "GM0599")
    response = client.get("/gemeente/GM0599/importeren/sjabloon.xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames == ["Incidenten", "Toelichting", "codes"]
    assert workbook["codes"].sheet_state == "hidden"
    sheet = workbook["Incidenten"]
    assert [c.value for c in sheet[1]] == HEADER
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any("codes" in (formula or "") for formula in lists.values())
    first_column = [c.value for c in workbook["codes"]["A"]]  # first code list
    assert first_column[0] == "locatie_type"
    assert any(c.value == boa_code for col in workbook["codes"].iter_cols() for c in col)
    explained = {r[0] for r in workbook["Toelichting"].iter_rows(values_only=True)}
    assert set(HEADER) <= explained
    sheet.append([date(2025, 9, 12), time(21, 30), *list(row(boa_code).values())[2:]])
    sheet.append([date(2025, 9, 13), time(2, 5), *list(row(boa_code, afdoening="x").values())[2:]])
    filled = io.BytesIO()
    workbook.save(filled)

    response = client.post(
        "/gemeente/GM0599/importeren/",
        data={"bestand": (io.BytesIO(filled.getvalue()), "ingevuld.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    page = client.get(preview_url).get_data(as_text=True)
    assert re.search(r'id="geldig">1<', page) and re.search(r'id="met-fouten">1<', page)
    assert "Onbekende code voor &#39;Afdoening&#39;: kies uit de codelijst." in page
    with app.app_context():
        assert incident_count() == 0  # nothing before confirming
    errors = client.get(preview_url + "/fouten.csv")
    assert errors.data.startswith("\ufeffrij;kolom;melding".encode())
    assert b"3;afdoening;Onbekende code" in errors.data

    response = client.post(preview_url + "/bevestigen", data={"alles_of_niets": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert incident_count() == 0
        assert client.get(preview_url).status_code == 404  # the upload is gone after confirm
    response = client.post(
        "/gemeente/GM0599/importeren/",
        data={"bestand": (io.BytesIO(filled.getvalue()), "ingevuld.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    preview_url = response.headers["Location"]
    response = client.post(preview_url + "/bevestigen", data={})
    assert response.status_code == 302
    assert "1 geïmporteerd" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert incident_count() == 1
        [*_, event] = import_events()
        assert event.details["soort"] == "xlsx" and event.actor == "coordinator-gm0599"
        assert "ingevuld" not in str(event.details)


def test_csv_template_and_cli_sjabloon(app, runner, client, login_as, tmp_path):
    login_as(Rol.COORDINATOR, "GM0599")
    data = client.get("/gemeente/GM0599/importeren/sjabloon.csv").data
    assert data == ("\ufeff" + ";".join(HEADER) + "\r\n").encode("utf-8")
    for name in ("s.xlsx", "s.csv"):
        result = runner.invoke(args=["imports", "sjabloon", "--uit", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    assert (tmp_path / "s.csv").read_bytes() == data
    assert openpyxl.load_workbook(tmp_path / "s.xlsx").sheetnames[0] == "Incidenten"


def test_coordinator_of_another_gemeente_gets_404(app, client, login_as, make_user, boa_code,
                                                  tmp_path):  # fmt: skip
    login_as(Rol.COORDINATOR, "GM0344")
    for url in ("/gemeente/GM0599/importeren/", "/gemeente/GM0599/importeren/sjabloon.xlsx"):
        assert client.get(url).status_code == 404
    path = write_csv(tmp_path / "r.csv", [row(boa_code)])
    response = client.post(
        "/gemeente/GM0599/importeren/",
        data={"bestand": (io.BytesIO(path.read_bytes()), "r.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    own = app.test_client()
    login_as(Rol.COORDINATOR, "GM0599", the_client=own)
    response = own.post(
        "/gemeente/GM0599/importeren/",
        data={"bestand": (io.BytesIO(path.read_bytes()), "r.csv")},
        content_type="multipart/form-data",
    )
    token = response.headers["Location"].rsplit("/", 1)[-1]
    for url in (f"/gemeente/GM0599/importeren/{token}", f"/gemeente/GM0344/importeren/{token}"):
        assert client.get(url).status_code == 404
    assert client.post(f"/gemeente/GM0344/importeren/{token}/bevestigen").status_code == 404
    with app.app_context():
        assert incident_count() == 0


@pytest.mark.slow
def test_process_killed_while_writing_leaves_no_rows(app, boa_code, database_url, tmp_path):
    """SIGKILL in the middle of the write phase: the one transaction never commits."""
    import os
    import signal
    import subprocess
    import sys
    from datetime import timedelta

    from tests.conftest import ROOT

    start = datetime(2024, 8, 1, tzinfo=AMSTERDAM)
    rows = []
    for i in range(30_000):
        moment = start + timedelta(minutes=7 * i)
        rows.append(row(boa_code, datum=moment.strftime("%d-%m-%Y"), tijd=moment.strftime("%H:%M")))
    path = write_csv(tmp_path / "groot.csv", rows)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PILOT_INSTANCE_PATH": str(tmp_path / "instance"),
        "PILOT_SECRET_KEY": app.config["SECRET_KEY"],
        "PILOT_PSEUDONYM_KEY": app.config["PSEUDONYM_KEY"],
    }
    command = [sys.executable, "-m", "flask", "--app", "pilot", "imports", "incidenten", str(path),
               "--gemeente", "GM0599"]  # fmt: skip
    child = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    seen = []
    try:
        for line in child.stdout:
            seen.append(line)
            if line.startswith("Schrijven: 5.000 van 30.000"):
                child.send_signal(signal.SIGKILL)
                break
    finally:
        child.kill()
        child.wait(timeout=60)
        child.stdout.close()
    assert seen[-1].startswith("Schrijven: 5.000"), seen
    assert child.returncode == -signal.SIGKILL
    with app.app_context():
        db.session.remove()
        assert incident_count() == 0
        assert import_events() == []
