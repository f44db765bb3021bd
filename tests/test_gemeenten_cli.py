"""The CLI (`users create`, `gemeenten import-grenzen`) and point-in-gemeente tests on the
shared CBS/PDOK boundary files (read from ../shared/data, never copied)."""

import csv
import json

import pytest
import shapely
from flask import Flask

from gemeenten.boundaries import point_in_gemeente, to_wgs84
from pilot.extensions import db
from pilot.models import AuditEvent, Gemeente, Rol, User
from pilot.services.gemeenten import boundary_of
from pilot.services.incidenten import locations_inside
from tests.conftest import SHARED_DATA, gemeente_by_code

PILOT_CODES = {
    "GM0599", "GM0344", "GM0202", "GM0034", "GM0505",
    "GM0917", "GM0855", "GM0361", "GM0758", "GM0546",
}  # fmt: skip
# Representative points from ../shared/data/README.md: always inside their own gemeente.
REPRESENTATIVE = {
    "GM0599": (51.92417, 4.48687),
    "GM0344": (52.08177, 5.09858),
    "GM0202": (52.00778, 5.87493),
    "GM0034": (52.35865, 5.23040),
    "GM0505": (51.76825, 4.68723),
    "GM0917": (50.88165, 5.97687),
    "GM0855": (51.59114, 5.06931),
    "GM0361": (52.60026, 4.81961),
    "GM0758": (51.56264, 4.77857),
    "GM0546": (52.15276, 4.48070),
}
ROTTERDAM_CENTRE = (51.9225, 4.47917)


def _import(runner, filename: str):
    return runner.invoke(args=["gemeenten", "import-grenzen", str(SHARED_DATA / filename)])


def _inside(cbs_code: str, lat: float, lon: float, tolerance_m: float = 0.0) -> bool:
    return point_in_gemeente(boundary_of(gemeente_by_code(cbs_code)), lat, lon, tolerance_m)


# --- users create -------------------------------------------------------------------------


def test_cli_creates_the_first_beheerder_who_can_log_in(app: Flask, runner):
    result = runner.invoke(
        args=["users", "create", "Eerste.Beheerder", "--naam", "Programmateam"],
        input="een-lang-wachtwoord\neen-lang-wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    assert "Gebruiker eerste.beheerder (beheerder) aangemaakt." in result.output
    with app.app_context():
        user = db.session.execute(
            db.select(User).where(User.gebruikersnaam == "eerste.beheerder")
        ).scalar_one()
        assert user.role is Rol.BEHEERDER and user.gemeente is None
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.entiteit == "user_account")
        ).scalar_one()
        assert event.actor == "cli" and event.actie == "aanmaken"
    login = app.test_client().post(
        "/inloggen",
        data={"gebruikersnaam": "eerste.beheerder", "wachtwoord": "een-lang-wachtwoord"},
    )
    assert login.headers["Location"].endswith("/inloggen/tweede-stap-instellen")


def test_cli_creates_a_coordinator_for_a_gemeente(app: Flask, runner):
    result = runner.invoke(
        args=["users", "create", "coord.tilburg", "--rol", "coordinator", "--gemeente", "gm0855"],
        input="een-lang-wachtwoord\neen-lang-wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.execute(
            db.select(User).where(User.gebruikersnaam == "coord.tilburg")
        ).scalar_one()
        assert user.gemeente.cbs_code == "GM0855"


@pytest.mark.parametrize(
    ("args", "password", "message"),
    [
        ([], "kort", "Fout: wachtwoord: Het wachtwoord moet minstens 12 tekens lang zijn."),
        (
            ["--rol", "coordinator"],
            "een-lang-wachtwoord",
            "Een coördinator hoort bij een gemeente.",
        ),
        (["--gemeente", "GM9999"], "een-lang-wachtwoord", "Onbekende gemeente GM9999."),
    ],
)
def test_cli_users_create_refuses_with_dutch_messages(app, runner, args, password, message):
    result = runner.invoke(
        args=["users", "create", "iemand", *args], input=f"{password}\n{password}\n"
    )
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        assert db.session.execute(db.select(User)).first() is None


# --- import-grenzen -----------------------------------------------------------------------


def test_rd_file_has_no_crs_member():
    """The premise of the RD test below: readers would take this file for WGS84."""
    with open(SHARED_DATA / "gemeenten_2026_rd.geojson", encoding="utf-8") as handle:
        assert "crs" not in json.load(handle)


@pytest.mark.parametrize("filename", ["gemeenten_2026_wgs84.geojson", "gemeenten_2026_rd.geojson"])
def test_import_fills_all_ten_pilot_gemeenten(app: Flask, runner, filename: str):
    result = _import(runner, filename)
    assert result.exit_code == 0, result.output
    assert "Grenzen geladen voor 10 gemeente(n)" in result.output
    with app.app_context():
        gemeenten = db.session.execute(db.select(Gemeente)).scalars().all()
        assert {g.cbs_code for g in gemeenten if g.heeft_grens} == PILOT_CODES
        assert all(g.grens_bron.endswith(filename) for g in gemeenten)
        areas = {g.cbs_code: boundary_of(g).area / 1e6 for g in gemeenten}
    with open(SHARED_DATA / "pilot_gemeenten.csv", encoding="utf-8") as handle:
        expected = {row["cbs_code"]: float(row["area_km2"]) for row in csv.DictReader(handle)}
    for code, area in areas.items():  # km² in RD: proves the CRS was read right
        assert area == pytest.approx(expected[code], abs=1.0), code


@pytest.mark.parametrize("filename", ["gemeenten_2026_wgs84.geojson", "gemeenten_2026_rd.geojson"])
def test_points_after_import(app: Flask, runner, filename: str):
    assert _import(runner, filename).exit_code == 0
    with app.app_context():
        assert _inside("GM0599", *ROTTERDAM_CENTRE)
        assert not _inside("GM0344", *ROTTERDAM_CENTRE)
        assert not _inside("GM0344", *ROTTERDAM_CENTRE, tolerance_m=250)
        # Rotterdam's centroid lies in Vlaardingen, ~3.2 km outside Rotterdam
        assert not _inside("GM0599", 51.92668, 4.30476)
        assert not _inside("GM0599", 51.92668, 4.30476, tolerance_m=250)
        for code, point in REPRESENTATIVE.items():
            assert _inside(code, *point), code
            others = PILOT_CODES - {code}
            assert not any(_inside(other, *point) for other in others), code


def _point_150m_east_of(boundary) -> tuple[float, float]:
    """A WGS84 point 150 m east of the boundary's easternmost vertex: outside, 150 m away."""
    coordinates = shapely.get_coordinates(boundary)
    x, y = coordinates[coordinates[:, 0].argmax()]
    outside = shapely.Point(x + 150, y)
    assert boundary.distance(outside) == pytest.approx(150, abs=0.5)
    lat, lon = to_wgs84(outside.x, outside.y)
    return float(lat), float(lon)


def test_tolerance_is_in_metres(app: Flask, runner):
    assert _import(runner, "gemeenten_2026_rd.geojson").exit_code == 0
    with app.app_context():
        lat, lon = _point_150m_east_of(boundary_of(gemeente_by_code("GM0599")))
        assert _inside("GM0599", lat, lon, tolerance_m=250)
        assert _inside("GM0599", lat, lon, tolerance_m=160)
        assert not _inside("GM0599", lat, lon, tolerance_m=140)
        assert not _inside("GM0599", lat, lon, tolerance_m=0)


def test_app_tolerance_comes_from_configuration(app: Flask, runner):
    assert _import(runner, "gemeenten_2026_rd.geojson").exit_code == 0
    with app.app_context():
        rotterdam = gemeente_by_code("GM0599")
        lat, lon = _point_150m_east_of(boundary_of(rotterdam))
        assert app.config["PILOT_BOUNDARY_TOLERANCE_M"] == 250
        assert locations_inside(rotterdam, [lat], [lon]).tolist() == [True]
        app.config["PILOT_BOUNDARY_TOLERANCE_M"] = 0
        assert locations_inside(rotterdam, [lat], [lon]).tolist() == [False]


def _boundary_state(app: Flask) -> dict:
    with app.app_context():
        return {
            g.cbs_code: (g.grens_bron, g.grens_geladen_op, g.grens_rd_wkb)
            for g in db.session.execute(db.select(Gemeente)).scalars()
        }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("dit is geen geojson", "Het grenzenbestand kon niet worden gelezen"),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"naam": "x"}, "geometry": {"type": "Point", "coordinates": [4.4, 51.9]}}]}',
            "Het grenzenbestand heeft geen kolom 'statcode'",
        ),
        (
            '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
            '{"statcode": "GM0003"}, "geometry": {"type": "Polygon", "coordinates": '
            "[[[6.0, 53.0], [6.1, 53.0], [6.1, 53.1], [6.0, 53.0]]]}}]}",
            "Het bestand bevat geen van de geregistreerde gemeenten",
        ),
    ],
)
def test_unusable_file_gives_a_dutch_error_and_changes_nothing(
    app: Flask, runner, tmp_path, content: str, message: str
):
    assert _import(runner, "gemeenten_2026_wgs84.geojson").exit_code == 0
    before = _boundary_state(app)
    path = tmp_path / "grenzen.geojson"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(args=["gemeenten", "import-grenzen", str(path)])
    assert result.exit_code == 1
    assert f"Fout: bron: {message}" in result.output
    assert "Traceback" not in result.output
    assert _boundary_state(app) == before


def test_missing_file_gives_a_dutch_error(app: Flask, runner, tmp_path):
    result = runner.invoke(args=["gemeenten", "import-grenzen", str(tmp_path / "weg.geojson")])
    assert result.exit_code == 1
    assert "Het grenzenbestand kon niet worden gelezen" in result.output
    assert all(value == (None, None, None) for value in _boundary_state(app).values())


def test_coordinator_page_shows_boundary_status(app: Flask, client, login_as, runner):
    login_as(Rol.COORDINATOR, "GM0599")
    before = client.get("/gemeente/GM0599/").text
    assert "niet geladen" in before and "de beheerder laadt de grenzen" in before
    assert _import(runner, "gemeenten_2026_wgs84.geojson").exit_code == 0
    after = client.get("/gemeente/GM0599/").text
    assert "niet geladen" not in after and "geladen op" in after
