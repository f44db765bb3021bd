"""What a screen reader, a phone or a Dutch reader gets, checked in the HTML: the error
summary and the "Fout:" title, aria-invalid and aria-describedby on every invalid control
(checkbox groups too), required fields marked, Dutch messages, the change history in words,
the address search against a replayed PDOK, one viewport tag on map pages, the landing page.
"""

import re

import pytest

from pilot.extensions import db
from pilot.forms import PilotForm
from pilot.models import Incident, Rol
from pilot.services import geocoder
from pilot.templating import aantal, zin
from tests.factories import make_boa
from tests.pdok import replaying_pdok
from tests.test_incidenten import BASE, form

COOLSINGEL = "adr-9d4c1b4e3f0f6d2b8a5c7e1f2a3b4c5d"


@pytest.fixture
def rotterdam(app, boundaries_loaded, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    with app.app_context():
        yield make_boa("GM0599", code="BOA-R-01")


def _tag(html: str, element_id: str) -> str:
    match = re.search(rf'<(?:input|select|textarea)[^>]*\bid="{element_id}"[^>]*>', html)
    assert match, f"no control #{element_id}"
    return match.group(0)


def test_failed_submit_has_summary_title_and_linked_invalid_controls(rotterdam, client):
    html = client.post(f"{BASE}/nieuw", data={"aantal_verdachten": "1"}).get_data(as_text=True)
    assert re.search(r"<title>Fout: Nieuw incident", html)
    summary = re.search(
        r'<div class="error-summary" role="alert" tabindex="-1".*?</div>', html, re.S
    )
    assert summary, "no error summary"
    links = re.findall(r'<a href="#([\w-]+)">', summary.group(0))
    assert {"datum", "boa_id", "lat", "gedragingen-0", "afdoening"} <= set(links)
    assert summary.start() < html.index('class="incident-form"')
    for option in ("gedragingen-0", "gedragingen-3"):  # a checkbox group: every option
        tag = _tag(html, option)
        assert 'aria-invalid="true"' in tag
        assert 'aria-describedby="gedragingen-hint gedragingen-fout"' in tag
    assert 'aria-describedby="datum-hint datum-fout"' in _tag(html, "datum")
    assert 'id="gedragingen-fout">Kies ten minste één gedraging.' in html
    assert "None" not in re.findall(r'aria-[a-z]+="([^"]*)"', html)


def test_every_required_incident_field_is_marked_and_explained(rotterdam, client):
    html = client.get(f"{BASE}/nieuw").get_data(as_text=True)
    assert "Velden met" in html and "zijn verplicht" in html
    required = ["datum", "tijd", "boa_id", "lat", "lon", "locatie_type", "kennisname"]
    required += ["kleding", "rol_boa", "afdoening", "aantal_verdachten", "leeftijd_verdachten"]
    required += ["aantal_slachtoffers"]
    for name in required:
        label = re.search(rf'<label for="{name}">(.*?)</label>', html, re.S)
        assert label and 'class="req"' in label.group(1), name
        assert " required" in _tag(html, name), name
    assert re.search(r'<legend>Gedraging[^<]*<span class="req"', html)
    for optional in ("zaaknummer", "opmerking"):
        assert " required" not in _tag(html, optional)


def test_coordinates_are_text_with_a_decimal_keyboard_and_accept_a_comma(rotterdam, client):
    html = client.get(f"{BASE}/nieuw").get_data(as_text=True)
    for name in ("lat", "lon"):
        tag = _tag(html, name)
        assert 'type="text"' in tag and 'inputmode="decimal"' in tag
    response = client.post(f"{BASE}/nieuw", data=form(rotterdam.id, lat="51,9165", lon="4,4788"))
    assert response.status_code == 302
    incident = db.session.execute(db.select(Incident)).scalar_one()
    assert (incident.lat, incident.lon) == (51.9165, 4.4788)


def test_history_uses_dutch_field_names_and_local_time(rotterdam, client, frozen_clock):
    client.post(f"{BASE}/nieuw", data=form(rotterdam.id))
    incident = db.session.execute(db.select(Incident)).scalar_one()
    edited = form(rotterdam.id, afdoening="proces_verbaal", tijd="23:45", version="1")
    assert client.post(f"{BASE}/{incident.id}/wijzigen", data=edited).status_code == 302
    html = client.get(f"{BASE}/{incident.id}").get_data(as_text=True)
    history = html[html.index("<h2>Geschiedenis</h2>") :]
    history = history[history.index("<table>") :]
    assert "15-11-2025 12:00" in history  # FROZEN_NOW, 11:00 UTC, in Amsterdam time
    assert "datum en tijd" in history and "afdoening" in history
    for raw in ("tijdstip", "version", "rd_x", "lokale_datum", "+00:00", "T11:00"):
        assert raw not in history, raw


def test_withdrawal_reason_ends_with_one_full_stop(rotterdam, client):
    client.post(f"{BASE}/nieuw", data=form(rotterdam.id))
    incident = db.session.execute(db.select(Incident)).scalar_one()
    client.post(
        f"{BASE}/{incident.id}/intrekken", data={"reden": "Dubbel ingevoerd.", "version": 1}
    )
    html = client.get(f"{BASE}/{incident.id}").get_data(as_text=True)
    assert "Dubbel ingevoerd. Het incident telt" in html and ".." not in html


def test_dutch_words_for_counts_and_sentences():
    assert [aantal(n, "rij", "rijen") for n in (0, 1, 2, 1234)] == [
        "0 rijen",
        "1 rij",
        "2 rijen",
        "1.234 rijen",
    ]
    assert [zin(t) for t in ("Dubbel", "Dubbel.", "Echt?", " ", None)] == [
        "Dubbel.",
        "Dubbel.",
        "Echt?",
        "",
        "",
    ]


def test_every_wtforms_message_our_fields_can_give_is_dutch(app):
    english = [
        "Not a valid choice.",
        "Not a valid date value.",
        "Not a valid time value.",
        "Not a valid month value.",
        "Not a valid integer value.",
        "Not a valid float value.",
        "This field is required.",
        "'%(value)s' are not valid choices for this field.",
        "Invalid Choice: could not coerce.",
    ]
    with app.test_request_context():
        blank = PilotForm()
        translations = blank.meta.get_translations(blank)
        for message in english:
            assert translations.gettext(message) != message, message


@pytest.mark.parametrize("rol", [Rol.BEHEERDER, Rol.EVALUATOR, Rol.MINISTERIE])
def test_map_filter_errors_are_dutch_and_the_page_has_one_viewport_tag(client, login_as, rol):
    login_as(rol)
    html = client.get("/hotspots/kaart?kwartaal=1999-01-01").get_data(as_text=True)
    assert "Not a valid" not in html
    assert "Kies een van de mogelijkheden uit de lijst." in html
    assert html.startswith("<!doctype html>") and "<title>Fout: " in html
    html = client.get("/hotspots/kaart").get_data(as_text=True)
    assert html.count('name="viewport"') == 1 and "user-scalable=no" not in html
    assert "L_NO_TOUCH" not in html and "html, body {" not in html


def test_logged_out_landing_page_says_what_this_is_and_whom_to_ask(app, client):
    html = client.get("/").get_data(as_text=True)
    assert client.get("/").status_code == 200
    assert "429ter" in html and "boa" in html and "Inloggen" in html
    assert app.config["PILOT_CONTACT"] in html


def test_geocoder_asks_pdok_within_the_gemeente_and_returns_points():
    with replaying_pdok() as pdok:
        found = geocoder.suggest(pdok.base_url, "  Coolsingel   40 ", "GM0599")
        assert [s.naam for s in found][:1] == ["Coolsingel 40, 3011AD Rotterdam"]
        (path, query), *_ = pdok.requests
        assert path.endswith("/suggest") and query["q"] == ["Coolsingel 40"]
        assert query["fq"][0] == "gemeentecode:0599"
        location = geocoder.lookup(pdok.base_url, COOLSINGEL, "GM0599")
        assert location == geocoder.Location("Coolsingel 40, 3011AD Rotterdam", 51.92253, 4.47901)
        assert geocoder.lookup(pdok.base_url, COOLSINGEL, "GM0344") is None  # not in Utrecht
        asked = len(pdok.requests)
        assert geocoder.suggest(pdok.base_url, "Co", "GM0599") == []
        assert geocoder.lookup(pdok.base_url, "../etc/passwd", "GM0599") is None
        assert len(pdok.requests) == asked, "too short or malformed: PDOK is not asked"


def test_geocoder_unreachable_is_a_clear_error():
    with pytest.raises(geocoder.GeocoderUnavailable, match="niet bereikbaar"):
        geocoder.suggest("http://127.0.0.1:9/locatieserver", "Coolsingel", "GM0599")


def test_address_routes_answer_json_and_say_when_pdok_is_down(app, rotterdam, client):
    down = client.get(f"{BASE}/adressen?q=Coolsingel")
    assert down.status_code == 503 and "niet bereikbaar" in down.get_json()["melding"]
    with replaying_pdok() as pdok:
        app.config["PILOT_PDOK_LOCATIESERVER_URL"] = pdok.base_url
        found = client.get(f"{BASE}/adressen?q=Coolsingel").get_json()["suggesties"]
        assert found[0] == {"id": COOLSINGEL, "naam": "Coolsingel 40, 3011AD Rotterdam"}
        point = client.get(f"{BASE}/adressen/{COOLSINGEL}").get_json()
        assert (point["lat"], point["lon"]) == (51.92253, 4.47901)
        assert client.get(f"{BASE}/adressen/adr-{'0' * 32}").status_code == 404
        assert client.get("/gemeente/GM0344/incidenten/adressen?q=Coolsingel").status_code == 404
