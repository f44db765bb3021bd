"""The beheerder runs the pilot from the web: the CBS list and boundaries (upload or PDOK
year, preview, confirm), adding a gemeente, the period guard, deactivation and the pilot
status notice; the CLI uses the same boundary service."""

import http.server
import io
import re
import threading
from datetime import UTC, date, datetime, time
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pypdf import PdfReader

from pilot import clock
from pilot.extensions import db
from pilot.models import (
    AuditEvent,
    CbsLijstGemeente,
    Dienst,
    Gemeente,
    Incident,
    PolitieCijfer,
    Rol,
    User,
)
from pilot.services import boundaries
from pilot.services.boas import BoaInput, register_boa
from pilot.services.disclosure import policy
from pilot.services.errors import DomainError
from pilot.services.gemeenten import (
    NewGemeenteInput,
    add_gemeente,
    deactivate_gemeente,
    get_gemeente,
    seed_cbs_list,
)
from pilot.services.incidenten import IncidentInput, create_incident
from pilot.services.pilot_period import newly_outside, outside_counts
from pilot.services.politiecijfers import PolitieInput, save_cijfers
from pilot.services.reports.build import build_gemeente_report, build_outsider_gemeente_report
from pilot.services.reports.periods import Period
from tests.conftest import SHARED_DATA, gemeente_by_code
from tests.factories import make_boa, make_incident

WGS84_FILE = SHARED_DATA / "gemeenten_2026_wgs84.geojson"
ROTTERDAM = (51.92417, 4.48687)  # representative point
HOOGVLIET = (51.8600, 4.3500)  # inside Rotterdam, far from its centre


def _upload(client, path: Path, **extra):
    with path.open("rb") as handle:
        return client.post(
            "/beheer/gemeenten/grenzen",
            data={"upload-bestand": (handle, path.name), **extra},
            content_type="multipart/form-data",
        )


def _token(response) -> str:
    assert response.status_code == 302, response.text
    return response.headers["Location"].rsplit("/", 1)[1]


def test_beheerder_loads_the_national_file_and_adds_den_haag(app, client, login_as):
    login_as(Rol.BEHEERDER)
    empty = client.get("/beheer/gemeenten/nieuw").text
    assert "nog geen CBS-lijst" in empty
    token = _token(_upload(client, WGS84_FILE))
    preview = client.get(f"/beheer/gemeenten/grenzen/{token}").text
    assert "Voorbeeld gemeentegrenzen 2026" in preview
    assert "342 gemeenten in het bestand" in preview and "Rotterdam" in preview
    with app.app_context():  # a preview writes nothing
        assert db.session.execute(db.select(CbsLijstGemeente)).first() is None
        assert not gemeente_by_code("GM0599").heeft_grens
    response = client.post(f"/beheer/gemeenten/grenzen/{token}/bevestigen")
    assert response.status_code == 302
    assert client.get(f"/beheer/gemeenten/grenzen/{token}").status_code == 404  # used up
    with app.app_context():
        assert all(g.heeft_grens for g in db.session.execute(db.select(Gemeente)).scalars())
        listed = db.session.execute(db.select(CbsLijstGemeente)).scalars().all()
        assert len(listed) == 342 and {row.jaar for row in listed} == {2026}
        den_haag = next(row for row in listed if row.cbs_code == "GM0518")
        assert (den_haag.naam, den_haag.provincie) == ("'s-Gravenhage", "Zuid-Holland")
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.entiteit == "gemeentegrenzen")
        ).scalar_one()
        assert event.actie == "laden" and event.details["cbs_lijst"] == 342
        assert len(event.details["gemeenten"]) == 10

    form = client.get("/beheer/gemeenten/nieuw").text
    assert "CBS-lijst van 2026" in form
    assert '<option value="GM0518">' in form and '<option value="GM0599">' not in form
    response = client.post(
        "/beheer/gemeenten/nieuw",
        data={"cbs_code": "GM0518", "tranche": "4", "pilot_start": "2025-07-01"},
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        den_haag = gemeente_by_code("GM0518")
        assert (den_haag.naam, den_haag.provincie, den_haag.tranche) == (
            "'s-Gravenhage",
            "Zuid-Holland",
            4,
        )
        assert den_haag.heeft_grens and den_haag.actief and den_haag.pilot_eind is None
        assert den_haag.grens_bron.startswith("CBS-lijst 2026")
    listing = client.get("/beheer/gemeenten").text
    assert "&#39;s-Gravenhage" in listing and "11 gemeenten" in listing
    again = client.post(
        "/beheer/gemeenten/nieuw",
        data={"cbs_code": "GM0518", "tranche": "4", "pilot_start": "2025-07-01"},
    )
    assert "(GM0518) doet al mee aan de pilot." in again.text


def test_adding_checks_the_list_and_the_fields(app):
    with app.app_context():
        seed_cbs_list()  # the shipped list: names and provinces, no boundaries
        with pytest.raises(DomainError) as raised:
            add_gemeente_input(cbs_code="GM9999")
        assert raised.value.errors["cbs_code"] == ["Kies een gemeente uit de CBS-lijst."]
        with pytest.raises(DomainError) as raised:
            add_gemeente_input(cbs_code="GM0599")
        assert "doet al mee" in raised.value.errors["cbs_code"][0]
        with pytest.raises(DomainError) as raised:
            add_gemeente_input(cbs_code="GM0363", tranche=0, pilot_eind=date(2025, 1, 1))
        assert set(raised.value.errors) == {"tranche", "pilot_eind"}
        amsterdam = add_gemeente_input(cbs_code="GM0363", tranche=7, inwoners=931_298)
        assert (amsterdam.naam, amsterdam.provincie) == ("Amsterdam", "Noord-Holland")
        assert amsterdam.inwoners == 931_298 and not amsterdam.heeft_grens


def add_gemeente_input(**fields):
    values = {"pilot_start": date(2025, 7, 1), "pilot_eind": None, "tranche": 4, "inwoners": None}
    values.update(fields)
    return add_gemeente(NewGemeenteInput(**values))


def _shrunken_rotterdam(tmp_path: Path) -> Path:
    """The shared file with Rotterdam replaced by a 1 km circle around its centre."""
    frame = gpd.read_file(WGS84_FILE)
    centre = gpd.GeoSeries(gpd.points_from_xy([ROTTERDAM[1]], [ROTTERDAM[0]]), crs=4326)
    circle = centre.to_crs(28992).buffer(1000).to_crs(4326).iloc[0]
    frame.loc[frame["statcode"] == "GM0599", "geometry"] = circle
    path = tmp_path / "grenzen_2027.geojson"
    frame.drop(columns=["jrstatcode"]).to_file(path, driver="GeoJSON")
    return path


def test_preview_shows_area_change_and_incidents_outside_the_new_boundary(
    app, client, login_as, boundaries_loaded, tmp_path
):
    with app.app_context():
        boa = make_boa("GM0599")
        make_incident(boa, *ROTTERDAM)
        make_incident(boa, *HOOGVLIET)
        withdrawn = make_incident(boa, *HOOGVLIET, gedragingen=("gebaren",))
        withdrawn.ingetrokken_op = clock.now()
        db.session.commit()
    login_as(Rol.BEHEERDER)
    path = _shrunken_rotterdam(tmp_path)
    no_year = client.get(f"/beheer/gemeenten/grenzen/{_token(_upload(client, path))}").text
    assert "zegt niet voor welk jaar" in no_year
    token = _token(_upload(client, path, **{"upload-jaar": "2027"}))
    with app.app_context():
        preview = boundaries.preview(boundaries.stored_source(token, _beheerder_id()).read())
    row = next(r for r in preview.rijen if r.cbs_code == "GM0599")
    assert preview.jaar == 2027
    assert row.incidenten == 2 and row.buiten_oud == 0 and row.buiten_nieuw == 1
    assert row.oppervlakte_nieuw_km2 == pytest.approx(3.14, abs=0.05)
    assert row.verschil_pct < -98
    page = client.get(f"/beheer/gemeenten/grenzen/{token}").text
    assert re.search(r"Rotterdam.*?<strong>1</strong>", page, re.S)
    client.post(f"/beheer/gemeenten/grenzen/{token}/bevestigen")
    with app.app_context():
        rotterdam = gemeente_by_code("GM0599")
        assert shapely.from_wkb(rotterdam.grens_rd_wkb).area == pytest.approx(3.14e6, rel=0.02)
        assert (
            db.session.execute(
                db.select(db.func.count()).where(CbsLijstGemeente.jaar == 2027)
            ).scalar()
            == 342
        )


def _beheerder_id() -> int:
    return db.session.execute(db.select(User.id).where(User.rol == "beheerder")).scalar_one()


def test_a_file_that_cannot_be_used_is_refused_beside_the_field(app, client, login_as, tmp_path):
    login_as(Rol.BEHEERDER)
    bad = tmp_path / "kapot.geojson"
    bad.write_text("geen geojson", encoding="utf-8")
    response = _upload(client, bad)
    assert response.status_code == 200
    assert "Het grenzenbestand kon niet worden gelezen" in response.text
    wrong = tmp_path / "grenzen.csv"
    wrong.write_text("statcode\nGM0599\n", encoding="utf-8")
    assert "Kies een GeoJSON" in _upload(client, wrong).text
    assert client.get("/beheer/gemeenten/grenzen/" + "A" * 43).status_code == 404


@pytest.fixture
def pdok_server():
    """A stand-in for the PDOK service on 127.0.0.1 that serves the shared RD file for 2026."""
    body = (SHARED_DATA / "gemeenten_2026_rd.geojson").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            if self.path != "/2026/gemeente_gegeneraliseerd.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/{{jaar}}/gemeente_gegeneraliseerd.json"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_the_pdok_year_is_fetched_from_the_configured_service(app, client, login_as, pdok_server):
    app.config["PILOT_PDOK_WFS"] = pdok_server
    login_as(Rol.BEHEERDER)
    missing = client.post("/beheer/gemeenten/grenzen", data={"pdok-jaar": "2025"})
    assert missing.status_code == 200 and "PDOK kon niet worden bereikt voor 2025" in missing.text
    token = _token(client.post("/beheer/gemeenten/grenzen", data={"pdok-jaar": "2026"}))
    assert "PDOK gemeentegrenzen 2026" in client.get(f"/beheer/gemeenten/grenzen/{token}").text
    client.post(f"/beheer/gemeenten/grenzen/{token}/bevestigen")
    with app.app_context():
        rotterdam = gemeente_by_code("GM0599")
        assert rotterdam.heeft_grens and rotterdam.grens_bron.startswith("http://127.0.0.1")
        assert db.session.execute(db.select(db.func.count(CbsLijstGemeente.id))).scalar() == 342


def test_cli_shows_the_same_preview_and_can_stop_there(app, runner, boundaries_loaded, tmp_path):
    path = _shrunken_rotterdam(tmp_path)
    with app.app_context():
        make_incident(make_boa("GM0599"), *HOOGVLIET)
    result = runner.invoke(
        args=["gemeenten", "import-grenzen", str(path), "--jaar", "2027", "--voorbeeld"]
    )
    assert result.exit_code == 0, result.output
    assert "Rotterdam (GM0599):" in result.output
    assert "1 van 1 incident(en) buiten de nieuwe grens" in result.output
    assert "er is niets opgeslagen" in result.output
    with app.app_context():
        assert shapely.from_wkb(gemeente_by_code("GM0599").grens_rd_wkb).area > 2e8
    result = runner.invoke(args=["gemeenten", "import-grenzen", str(path), "--jaar", "2027"])
    assert "Grenzen geladen voor 10 gemeente(n)" in result.output
    with app.app_context():
        assert shapely.from_wkb(gemeente_by_code("GM0599").grens_rd_wkb).area < 4e6


# --- the period guard -------------------------------------------------------------------


@pytest.fixture
def rotterdam_records(app):
    """Rotterdam (pilot 01-07-2024 – 30-06-2026): incidents, diensten and police months
    on both sides of 01-01-2025, one withdrawn incident before it."""
    with app.app_context():
        boa = make_boa("GM0599")
        for month in (8, 10, 12):  # 2024: inside now, before a start of 01-01-2025
            make_incident(boa, *ROTTERDAM, tijdstip=datetime(2024, month, 5, 20, tzinfo=UTC))
        make_incident(boa, *ROTTERDAM, tijdstip=datetime(2025, 3, 5, 20, tzinfo=UTC))
        withdrawn = make_incident(boa, *HOOGVLIET, tijdstip=datetime(2024, 9, 5, 20, tzinfo=UTC))
        withdrawn.ingetrokken_op = clock.now()
        rotterdam = gemeente_by_code("GM0599")
        for day in (date(2024, 11, 1), date(2024, 12, 20), date(2025, 2, 1)):
            db.session.add(
                Dienst(
                    gemeente_id=rotterdam.id, datum=day, begintijd=time(20), eindtijd=time(23),
                    duur_minuten=180, gebied="centrum", aantal_uniform=2, aantal_burger=0,
                )
            )  # fmt: skip
        for month in (date(2024, 12, 1), date(2025, 1, 1)):
            db.session.add(PolitieCijfer(gemeente_id=rotterdam.id, maand=month, meldingen=3))
        db.session.commit()


def _edit(client, **fields):
    data = {"pilot_start": "2024-07-01", "pilot_eind": "2026-06-30", "tranche": "1"}
    data.update(fields)
    return client.post("/beheer/gemeenten/GM0599/bewerken", data=data)


def test_period_guard_shows_the_counts_before_anything_is_saved(
    app, client, login_as, rotterdam_records
):
    login_as(Rol.BEHEERDER)
    response = _edit(client, pilot_start="2025-01-01")
    assert response.status_code == 200
    assert "3 incident(en)" in response.text
    assert "2 dienst(en)" in response.text
    assert "1 maand(en) politiecijfers" in response.text
    assert "Opslaan en bevestigen" in response.text
    with app.app_context():
        assert gemeente_by_code("GM0599").pilot_start == date(2024, 7, 1)
    confirmation = re.search(r'name="bevestigd" type="hidden" value="([^"]+)"', response.text)
    assert confirmation and confirmation.group(1) == "2025-01-01|2026-06-30"
    # another period than the one shown is asked again, not saved
    again = _edit(client, pilot_start="2025-03-01", bevestigd=confirmation.group(1))
    assert again.status_code == 200 and "3 dienst(en)" in again.text
    saved = _edit(client, pilot_start="2025-01-01", bevestigd=confirmation.group(1))
    assert saved.status_code == 302
    with app.app_context():
        assert gemeente_by_code("GM0599").pilot_start == date(2025, 1, 1)
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.entiteit == "pilotperiode")
        ).scalar_one()
        assert event.actie == "bevestigen"
        assert (
            event.details["incidenten_buiten"],
            event.details["diensten_buiten"],
            event.details["politiecijfers_buiten"],
        ) == (3, 2, 1)
        assert (
            outside_counts([gemeente_by_code("GM0599").id])[gemeente_by_code("GM0599").id].totaal
            == 6
        )


def test_a_change_that_leaves_nothing_outside_is_saved_at_once(
    app, client, login_as, rotterdam_records
):
    login_as(Rol.BEHEERDER)
    assert _edit(client, pilot_eind="2026-12-31", tranche="2").status_code == 302
    with app.app_context():
        rotterdam = gemeente_by_code("GM0599")
        assert (rotterdam.pilot_eind, rotterdam.tranche) == (date(2026, 12, 31), 2)
        assert newly_outside(rotterdam, date(2024, 6, 1), None).totaal == 0
        # moving the end before the last records counts them, month by month for police
        assert newly_outside(rotterdam, date(2024, 7, 1), date(2024, 12, 31)).incidenten == 1
        assert newly_outside(rotterdam, date(2024, 7, 1), date(2024, 12, 31)).politiecijfers == 1
        assert newly_outside(rotterdam, date(2024, 7, 1), date(2024, 12, 31)).diensten == 1


def _pdf_text(report) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(report.pdf)).pages)


def test_reports_list_the_records_outside_the_period(app, frozen_clock, rotterdam_records):
    with app.app_context():
        rotterdam = gemeente_by_code("GM0599")
        rotterdam.pilot_start = date(2025, 1, 1)
        db.session.commit()
        exact = _pdf_text(
            build_gemeente_report(
                rotterdam, Period(date(2025, 1, 1), date(2026, 6, 30), "Hele pilotperiode")
            )
        )
        outsider = _pdf_text(
            build_outsider_gemeente_report(rotterdam, policy.outsider_period(rotterdam, "P"))
        )
    assert re.search(
        r"Incidenten buiten de pilotperiode \(01-01-2025 t/m\s+30-06-2026\)\s+3", exact
    )
    assert re.search(r"Diensten buiten de pilotperiode 2", exact)
    assert re.search(r"Maanden politiecijfers buiten de pilotperiode 1", exact)
    # everyone outside the gemeente: not in their reports. The counts are in no table of the
    # protected publication (the attack suite reads every outsider figure against it), and
    # the dataset's count of rows left out would bound a small one.
    assert "buiten de pilotperiode" not in outsider


# --- pilot status and deactivation ------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 7, 15, 10, tzinfo=UTC), "is afgelopen op 30-06-2026"),
        (datetime(2024, 6, 15, 10, tzinfo=UTC), "begint op 01-07-2024"),
    ],
)
def test_coordinator_sees_why_registering_is_limited(app, client, login_as, moment, expected):
    login_as(Rol.COORDINATOR, "GM0599")
    with clock.frozen(moment):
        for url in ("/gemeente/GM0599/", "/gemeente/GM0599/incidenten/nieuw"):
            page = client.get(url).text
            assert expected in page and "beheerder (het programmateam)" in page
    with clock.frozen(datetime(2025, 11, 15, 11, tzinfo=UTC)):
        assert "pilot-status" not in client.get("/gemeente/GM0599/").text


def test_beheerder_list_shows_who_is_active_now(app, client, login_as):
    login_as(Rol.BEHEERDER)
    with app.app_context():
        leiden = gemeente_by_code("GM0546")
        leiden.pilot_start = date(2026, 1, 1)
        deactivate_gemeente(gemeente_by_code("GM0917"))
    with clock.frozen(datetime(2025, 11, 15, 11, tzinfo=UTC)):
        listing = client.get("/beheer/gemeenten").text
    assert "8 van de 10 gemeenten zijn nu actief" in listing
    assert "nog niet gestart" in listing and "gedeactiveerd" in listing


def test_a_deactivated_gemeente_takes_no_new_records_and_keeps_the_old(
    app, client, login_as, frozen_clock, boundaries_loaded
):
    with app.app_context():
        boa = make_boa("GM0599")
        make_incident(boa, *ROTTERDAM)
        boa_id = boa.id
    login_as(Rol.BEHEERDER)
    question = client.get("/beheer/gemeenten/GM0599/deactiveren")
    assert "Weet u zeker" in question.text
    assert "Weet u zeker" in client.post("/beheer/gemeenten/GM0599/deactiveren").text
    response = client.post("/beheer/gemeenten/GM0599/deactiveren", data={"bevestigd": "ja"})
    assert response.status_code == 302
    with app.app_context():
        rotterdam = get_gemeente("GM0599")
        assert rotterdam.actief is False
        item = IncidentInput(
            tijdstip=datetime(2025, 9, 12, 21, 30, tzinfo=UTC), lat=ROTTERDAM[0],
            lon=ROTTERDAM[1], boa_id=boa_id, locatie_type="straat", gedragingen=["gebaren"],
            kennisname="camera", kleding="uniform", rol_boa="interventie",
            afdoening="waarschuwing", leeftijd_verdachten="18_24",
        )  # fmt: skip
        for attempt in (
            lambda: create_incident(rotterdam, item),
            lambda: register_boa(rotterdam, BoaInput()),
            lambda: save_cijfers(rotterdam, PolitieInput(maand=date(2025, 9, 1), meldingen=2)),
        ):
            with pytest.raises(DomainError, match="is gedeactiveerd in de pilot"):
                attempt()
            db.session.rollback()
        assert db.session.execute(db.select(db.func.count(Incident.id))).scalar() == 1
    coordinator = client.application.test_client()
    login_as(Rol.COORDINATOR, "GM0599", the_client=coordinator)
    page = coordinator.get("/gemeente/GM0599/incidenten/").text
    assert "neemt niet meer deel aan de pilot" in page and "BOA-0599" in page
    response = coordinator.post(
        "/gemeente/GM0599/diensten/nieuw",
        data={"datum": "2025-09-12", "begintijd": "20:00", "eindtijd": "23:00",
              "gebied": "centrum", "aantal_uniform": "2", "aantal_burger": "0"},
    )  # fmt: skip
    assert "is gedeactiveerd in de pilot" in response.text
    upload = coordinator.post(
        "/gemeente/GM0599/importeren/",
        data={"bestand": (io.BytesIO(b"datum;tijd\n"), "i.csv")},
        content_type="multipart/form-data",
    )
    assert "is gedeactiveerd in de pilot" in upload.text
    client.post("/beheer/gemeenten/GM0599/activeren")
    with app.app_context():
        assert get_gemeente("GM0599").actief is True


def test_cbs_population_is_loaded_from_a_statline_export(app, runner, tmp_path):
    export = tmp_path / "bevolking.csv"
    export.write_text(
        '"ID";"RegioS";"Perioden";"TotaleBevolking_1"\n'
        '"1";"NL01  ";"2025JJ00";"18.044.027"\n'
        '"2";"GM0599";"2025JJ00";"670.610"\n'
        '"3";"GM0518";"2025JJ00";"566.221"\n'
        '"4";"GM0344";"2025JJ00";""\n',
        encoding="utf-8-sig",
    )
    with app.app_context():
        seed_cbs_list()
        utrecht = gemeente_by_code("GM0344")
        utrecht.inwoners = 374_000  # typed by the beheerder: kept
        db.session.commit()
    result = runner.invoke(args=["gemeenten", "import-inwoners", str(export)])
    assert result.exit_code == 0, result.output
    assert "2 inwonertal(len) gelezen; 2 in de CBS-lijst 2026" in result.output
    assert "pilotgemeenten bijgewerkt: GM0599" in result.output
    with app.app_context():
        assert gemeente_by_code("GM0599").inwoners == 670_610
        assert gemeente_by_code("GM0344").inwoners == 374_000
        den_haag = db.session.execute(
            db.select(CbsLijstGemeente).where(CbsLijstGemeente.cbs_code == "GM0518")
        ).scalar_one()
        assert den_haag.inwoners == 566_221
        assert add_gemeente_input(cbs_code="GM0518").inwoners == 566_221  # from the list
    bad = tmp_path / "leeg.csv"
    bad.write_text("naam;aantal\nx;1\n", encoding="utf-8")
    result = runner.invoke(args=["gemeenten", "import-inwoners", str(bad)])
    assert result.exit_code == 1 and "geen kolom met de CBS-code" in result.output
