"""Incident screens through HTTP: every rule refused on its field with nothing written,
gemeente scoping (404), the version check between two sessions, withdraw, list and detail."""

import html
import re
from datetime import date

import pytest

from pilot.extensions import db
from pilot.models import AuditEvent, Incident, Rol
from tests.conftest import log_in
from tests.factories import make_boa, make_incident

BASE = "/gemeente/GM0599/incidenten"
WITTE_DE_WITHSTRAAT = ("51.9165", "4.4788")
ERROR = re.compile(r'<p class="error" id="([\w-]+)-fout">(.*?)</p>', re.S)
LIST_LINK = re.compile(rf'<td><a href="{BASE}/(\d+)">')
pytestmark = pytest.mark.usefixtures("frozen_clock")  # today is 15-11-2025


def form(boa_id, **changes) -> dict:
    data = {
        "datum": "2025-09-12",
        "tijd": "23:30",
        "boa_id": str(boa_id),
        "lat": WITTE_DE_WITHSTRAAT[0],
        "lon": WITTE_DE_WITHSTRAAT[1],
        "locatie_type": "uitgaansgebied",
        "gedragingen": ["opmerkingen", "gebaren"],
        "kennisname": "eigen_waarneming",
        "kleding": "burger",
        "rol_boa": "spotter",
        "afdoening": "waarschuwing",
        "aantal_verdachten": "1",
        "leeftijd_verdachten": "18_24",
        "aantal_slachtoffers": "1",
        "zaaknummer": "",
        "opmerking": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def field_errors(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, message in ERROR.findall(response.get_data(as_text=True)):
        found.setdefault(name, []).append(html.unescape(message))
    return found


def incident_count() -> int:
    return db.session.execute(db.select(db.func.count(Incident.id))).scalar_one()


@pytest.fixture
def rotterdam(app, boundaries_loaded, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    with app.app_context():
        boa = make_boa("GM0599", code="BOA-R-01")
        yield boa


def test_valid_incident_is_stored_with_local_time_and_shown_in_list(rotterdam, client):
    response = client.post(f"{BASE}/nieuw", data=form(rotterdam.id, slachtofferhulp="y"))
    assert response.status_code == 302, field_errors(response)
    incident = db.session.execute(db.select(Incident)).scalar_one()
    assert incident.tijdstip.isoformat() == "2025-09-12T21:30:00+00:00"  # 23:30 CEST
    assert incident.tijdvak == "avond" and incident.slachtofferhulp is True
    assert incident.gemeente_id == rotterdam.gemeente_id and not incident.synthetisch
    listing = client.get(f"{BASE}/").get_data(as_text=True)
    assert f"{BASE}/{incident.id}" in listing and "BOA-R-01" in listing
    detail = client.get(f"{BASE}/{incident.id}").get_data(as_text=True)
    assert "aanmaken" in detail and "Uitgaansgebied" in detail


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"datum": "2025-11-16"}, "datum", "in de toekomst"),
        ({"datum": "2024-06-30"}, "datum", "buiten de pilotperiode"),
        ({"datum": "", "tijd": ""}, "datum", "Vul datum en tijd in"),
        ({"lat": "52.0907", "lon": "5.1214"}, "lat", "buiten de gemeente Rotterdam"),
        ({"lat": "48.85", "lon": "2.35"}, "lat", "niet in Nederland"),
        ({"lat": "", "lon": ""}, "lat", "Kies een locatie op de kaart"),
        ({"lat": "noord"}, "lat", "decimale graden"),
        ({"gedragingen": []}, "gedragingen", "ten minste één gedraging"),
        ({"gedragingen": ["schelden"]}, "gedragingen", "Onbekende gedraging"),
        ({"afdoening": "boete"}, "afdoening", "Onbekende code"),
        ({"kleding": ""}, "kleding", "Kies een waarde"),
        ({"aantal_verdachten": "-1"}, "aantal_verdachten", "tussen 0 en 50"),
        ({"aantal_slachtoffers": "51"}, "aantal_slachtoffers", "tussen 0 en 50"),
        ({"afdoening": "reprimande"}, "afdoening", "alleen voor minderjarigen"),
        (
            {"afdoening": "proces_verbaal", "aantal_verdachten": "0"},
            "aantal_verdachten",
            "ten minste één verdachte",
        ),
        (
            {"slachtofferhulp": "y", "aantal_slachtoffers": "0"},
            "slachtofferhulp",
            "vraagt een slachtoffer",
        ),
        ({"opmerking": "bel haar op 06-12345678"}, "opmerking", "telefoonnummer"),
        ({"opmerking": "BSN 111222333 gecontroleerd"}, "opmerking", "burgerservicenummer"),
        ({"opmerking": "mail naar iemand@example.nl"}, "opmerking", "e-mailadres"),
        ({"opmerking": "woont op 3011 AB 12"}, "opmerking", "postcode met huisnummer"),
        ({"opmerking": "reed weg in de 12-ABC-3"}, "opmerking", "kenteken"),
        ({"opmerking": "x" * 501}, "opmerking", "500"),
    ],
)
def test_each_rule_is_refused_on_its_field_and_nothing_is_written(
    rotterdam, client, changes, field, fragment
):
    response = client.post(f"{BASE}/nieuw", data=form(rotterdam.id, **changes))
    assert response.status_code == 200
    errors = field_errors(response)
    assert any(fragment in message for message in errors.get(field, [])), errors
    assert incident_count() == 0
    if "opmerking" in changes and len(changes["opmerking"]) < 100:
        assert changes["opmerking"] in response.get_data(as_text=True)  # input kept


@pytest.mark.parametrize(
    ("boa_fields", "fragment"),
    [
        ({"mandaat_start": date(2025, 10, 1)}, "geen mandaat van het OM"),
        ({"mandaat_eind": date(2025, 1, 1)}, "geen mandaat van het OM"),
        ({"opleidingsdatum": date(2025, 10, 1)}, "nog niet opgeleid"),
    ],
)
def test_boa_without_training_or_mandate_on_the_date_is_refused(
    rotterdam, client, boa_fields, fragment
):
    boa = make_boa("GM0599", **boa_fields)
    response = client.post(f"{BASE}/nieuw", data=form(boa.id))
    assert any(fragment in m for m in field_errors(response)["boa_id"])
    assert incident_count() == 0


def test_duplicate_case_number_is_refused_and_never_shown(rotterdam, client):
    first = client.post(f"{BASE}/nieuw", data=form(rotterdam.id, zaaknummer="PL17-99"))
    assert first.status_code == 302, field_errors(first)
    response = client.post(f"{BASE}/nieuw", data=form(rotterdam.id, zaaknummer="PL17-99"))
    assert "al een incident met dit zaaknummer" in field_errors(response)["zaaknummer"][0]
    assert incident_count() == 1
    incident_id = db.session.execute(db.select(Incident.id)).scalar_one()
    assert "PL17-99" not in client.get(f"{BASE}/{incident_id}").get_data(as_text=True)
    assert "PL17-99" not in client.get(f"{BASE}/{incident_id}/wijzigen").get_data(as_text=True)


def test_boa_select_lists_only_the_gemeentes_active_boas(rotterdam, client):
    make_boa("GM0599", code="BOA-R-OUD", actief=False)
    make_boa("GM0344", code="BOA-U-01")
    page = client.get(f"{BASE}/nieuw").get_data(as_text=True)
    assert "BOA-R-01" in page
    assert "BOA-R-OUD" not in page and "BOA-U-01" not in page


def test_posting_another_gemeentes_boa_or_gemeente_is_refused(rotterdam, client):
    utrecht_boa = make_boa("GM0344", code="BOA-U-01")
    response = client.post(f"{BASE}/nieuw", data=form(utrecht_boa.id))
    assert "hoort niet bij Rotterdam" in field_errors(response)["boa_id"][0]
    assert incident_count() == 0
    utrecht_id = utrecht_boa.gemeente_id
    response = client.post(f"{BASE}/nieuw", data=form(rotterdam.id, gemeente_id=str(utrecht_id)))
    assert response.status_code == 302
    assert db.session.execute(db.select(Incident.gemeente_id)).scalar_one() == rotterdam.gemeente_id


def test_rotterdam_cannot_see_or_change_a_utrecht_incident(rotterdam, client):
    utrecht_boa = make_boa("GM0344", code="BOA-U-01")
    other = make_incident(utrecht_boa, 52.0929, 5.1192)
    other_id, version = other.id, other.version
    for url in (
        f"/gemeente/GM0344/incidenten/{other_id}",
        f"{BASE}/{other_id}",
        f"{BASE}/{other_id}/wijzigen",
        f"{BASE}/{other_id}/intrekken",
        "/gemeente/GM0344/incidenten/",
        "/gemeente/GM0344/incidenten/nieuw",
    ):
        assert client.get(url).status_code == 404, url
    changed = form(utrecht_boa.id, afdoening="proces_verbaal", version=str(version))
    assert client.post(f"{BASE}/{other_id}/wijzigen", data=changed).status_code == 404
    assert (
        client.post(f"/gemeente/GM0344/incidenten/{other_id}/wijzigen", data=changed).status_code
        == 404
    )
    withdraw = {"reden": "dubbel ingevoerd", "version": str(version)}
    assert client.post(f"{BASE}/{other_id}/intrekken", data=withdraw).status_code == 404
    db.session.expire_all()
    stored = db.session.get(Incident, other_id)
    assert stored.afdoening == "waarschuwing" and not stored.ingetrokken and stored.version == 1


def test_withdraw_needs_a_reason_then_record_leaves_list_and_cannot_be_edited(rotterdam, client):
    client.post(f"{BASE}/nieuw", data=form(rotterdam.id))
    incident_id = db.session.execute(db.select(Incident.id)).scalar_one()
    page = client.get(f"{BASE}/{incident_id}/intrekken").get_data(as_text=True)
    assert "Ja, incident intrekken" in page
    response = client.post(f"{BASE}/{incident_id}/intrekken", data={"reden": "", "version": "1"})
    assert "Geef een reden" in field_errors(response)["reden"][0]
    response = client.post(
        f"{BASE}/{incident_id}/intrekken", data={"reden": "bel 0612345678", "version": "1"}
    )
    assert "telefoonnummer" in field_errors(response)["reden"][0]
    response = client.post(
        f"{BASE}/{incident_id}/intrekken", data={"reden": "dubbel ingevoerd", "version": "1"}
    )
    assert response.status_code == 302
    assert f'{BASE}/{incident_id}"' not in client.get(f"{BASE}/").get_data(as_text=True)
    assert f'{BASE}/{incident_id}"' in client.get(f"{BASE}/?met_ingetrokken=y").get_data(
        as_text=True
    )
    detail = client.get(f"{BASE}/{incident_id}").get_data(as_text=True)
    assert "intrekken" in detail and "dubbel ingevoerd" in detail
    response = client.post(
        f"{BASE}/{incident_id}/wijzigen",
        data=form(rotterdam.id, afdoening="grensgeval", version="2"),
    )
    assert response.status_code == 302
    refused = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Een ingetrokken incident kan niet meer worden gewijzigd." in refused
    db.session.expire_all()
    stored = db.session.get(Incident, incident_id)
    assert stored.afdoening == "waarschuwing" and stored.version == 2
    actions = db.session.execute(
        db.select(AuditEvent.actie).where(AuditEvent.entiteit == "incident")
    ).scalars()
    assert list(actions) == ["aanmaken", "intrekken"]


def _second_session(app, make_user):
    other = app.test_client()
    user = make_user(Rol.COORDINATOR, "GM0599", gebruikersnaam="tweede-coordinator")
    log_in(app, other, user)
    return other


def test_second_of_two_concurrent_edits_gets_conflict_and_nothing_is_lost(
    app, rotterdam, client, make_user
):
    client.post(f"{BASE}/nieuw", data=form(rotterdam.id))
    incident_id = db.session.execute(db.select(Incident.id)).scalar_one()
    other = _second_session(app, make_user)
    for session in (client, other):
        assert 'name="version" type="hidden" value="1"' in session.get(
            f"{BASE}/{incident_id}/wijzigen"
        ).get_data(as_text=True)
    first = client.post(
        f"{BASE}/{incident_id}/wijzigen",
        data=form(rotterdam.id, afdoening="proces_verbaal", version="1"),
    )
    assert first.status_code == 302
    second = other.post(
        f"{BASE}/{incident_id}/wijzigen",
        data=form(rotterdam.id, opmerking="Tweede versie van het verslag", version="1"),
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "intussen door iemand anders gewijzigd" in page
    assert "Tweede versie van het verslag" in page  # the user's input is kept
    assert 'name="version" type="hidden" value="2"' in page
    db.session.expire_all()
    stored = db.session.get(Incident, incident_id)
    assert stored.afdoening == "proces_verbaal" and stored.opmerking is None
    again = other.post(
        f"{BASE}/{incident_id}/wijzigen",
        data=form(rotterdam.id, opmerking="Tweede versie van het verslag", version="2"),
    )
    assert again.status_code == 302
    db.session.expire_all()
    assert db.session.get(Incident, incident_id).version == 3


def test_edit_failing_a_rule_keeps_input_and_changes_nothing(rotterdam, client):
    client.post(f"{BASE}/nieuw", data=form(rotterdam.id))
    incident_id = db.session.execute(db.select(Incident.id)).scalar_one()
    response = client.post(
        f"{BASE}/{incident_id}/wijzigen", data=form(rotterdam.id, datum="2030-05-05", version="1")
    )
    assert "in de toekomst" in field_errors(response)["datum"][0]
    assert 'value="2030-05-05"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Incident, incident_id).version == 1


def test_list_filters_and_pagination(rotterdam, client):
    other_boa = make_boa("GM0599", code="BOA-R-02")
    for day in range(1, 26):
        make_incident(
            rotterdam if day % 2 else other_boa,
            51.9165,
            4.4788,
            tijdstip=None,
            afdoening="proces_verbaal" if day <= 3 else "waarschuwing",
            gedragingen=("aanrakingen",) if day == 5 else ("opmerkingen",),
            synthetisch=day == 7,
        )
    page = client.get(f"{BASE}/").get_data(as_text=True)
    assert "Pagina 1 van 2" in page and page.count('<span class="badge synth">') == 1
    assert len(LIST_LINK.findall(page)) == 20  # PILOT_PAGE_SIZE in tests
    second = client.get(f"{BASE}/?pagina=2").get_data(as_text=True)
    assert len(LIST_LINK.findall(second)) == 5
    assert set(LIST_LINK.findall(page)).isdisjoint(LIST_LINK.findall(second))
    page = client.get(f"{BASE}/?afdoening=proces_verbaal").get_data(as_text=True)
    assert page.count("Proces-verbaal / strafbeschikking</td>") == 3
    page = client.get(f"{BASE}/?gedraging=aanrakingen").get_data(as_text=True)
    assert page.count("Aanrakingen</td>") == 1
    page = client.get(f"{BASE}/?boa_id={other_boa.id}").get_data(as_text=True)
    assert page.count(">BOA-R-02</td>") == 12 and ">BOA-R-01</td>" not in page
    assert "Geen incidenten" in client.get(f"{BASE}/?van=2026-01-01").get_data(as_text=True)
    assert client.get(f"{BASE}/?van=gisteren&afdoening=onzin").status_code == 200


@pytest.mark.parametrize("rol", [Rol.BEHEERDER, Rol.EVALUATOR, Rol.MINISTERIE])
def test_incident_screens_are_for_the_coordinator_only(app, client, login_as, rol):
    login_as(rol)
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/nieuw").status_code == 403


def test_form_draws_the_boundary_and_serves_leaflet_locally(rotterdam, client):
    page = client.get(f"{BASE}/nieuw").get_data(as_text=True)
    assert '<script type="application/json" id="grens-data">{"coordinates"' in page
    assert "/static/vendor/leaflet/leaflet.js" in page and "/static/js/incidenten-map.js" in page
    assert "unpkg" not in page and "cdn" not in page.lower()
    with client.get("/static/vendor/leaflet/leaflet.js") as response:
        assert response.status_code == 200
    with client.get("/static/js/incidenten-map.js") as response:
        script = response.get_data(as_text=True)
    assert "service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857" in script
    assert "Kaartgegevens &copy; Kadaster" in script and "OpenStreetMap" in script


def test_a_post_that_waits_in_vain_for_the_write_lock_gets_a_dutch_503(
    rotterdam, client, app, database_kind
):
    """A long import holds SQLite's one write lock; a form post that times out waiting for
    it is told, in Dutch, to try again (503, Retry-After), not shown the error page."""
    if database_kind != "sqlite":
        pytest.skip("SQLite's single writer; PostgreSQL waits on row locks without a timeout")
    import sqlite3

    before = incident_count()
    holder = sqlite3.connect(db.engine.url.database)
    holder.execute("BEGIN IMMEDIATE")  # another writer, as a long import's transaction
    try:
        response = client.post(f"{BASE}/nieuw", data=form(rotterdam.id))
    finally:
        holder.rollback()
        holder.close()
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "even bezet" in page and "niets opgeslagen" in page and "Traceback" not in page
    db.session.remove()
    assert incident_count() == before
