"""Coordinator boa screens through HTTP, plus the boa rules of pilot/services/boas.py."""

import io
import logging
import re
from datetime import UTC, date, datetime

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import text

from pilot.extensions import db
from pilot.models import Base, Boa, Rol
from pilot.pseudonym import keyed_hash
from pilot.services import boas as boas_service
from pilot.services.errors import DomainError
from pilot.services.incidenten import IncidentInput, validate_batch
from tests.conftest import gemeente_by_code
from tests.factories import make_boa

NUMMER = "PN-774411"
PLAIN_FORMS = ("774411", "PN774411", "PN-774411")


def _boas(app: Flask, cbs_code: str | None = None) -> list[Boa]:
    with app.app_context():
        query = db.select(Boa).order_by(Boa.id)
        if cbs_code:
            query = query.where(Boa.gemeente_id == gemeente_by_code(cbs_code).id)
        rows = db.session.execute(query).scalars().all()
        db.session.expunge_all()
        return rows


def _register(client, in_gemeente="GM0599", **fields):
    data = {"opleidingsdatum": "2024-06-01", "mandaat_start": "2024-06-15", "mandaat_eind": ""}
    data.update(fields)
    return client.post(f"/gemeente/{in_gemeente}/boas/nieuw", data=data)


def _all_rows_as_text(app: Flask) -> str:
    with app.app_context():
        parts = []
        for table in Base.metadata.sorted_tables:
            for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):
                parts.extend(str(value) for value in row)
        return "\n".join(parts)


def _without_csrf_token(page: str) -> str:
    """The log-out form's token carries a timestamp; everything else must be identical."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def test_register_boa_issues_a_code_and_stores_only_the_hmac(app, client, login_as, caplog):
    caplog.set_level(logging.DEBUG)
    login_as(Rol.COORDINATOR, "GM0599")
    assert client.get("/gemeente/GM0599/boas/nieuw").status_code == 200
    response = _register(client, personeelsnummer=NUMMER, mandaat_eind="2026-06-30")
    assert response.status_code == 302
    [boa] = _boas(app)
    assert re.fullmatch(r"BOA-0599-[A-HJ-NP-Z2-9]{4}", boa.code)
    assert boa.opleidingsdatum == date(2024, 6, 1)
    assert (boa.mandaat_start, boa.mandaat_eind) == (date(2024, 6, 15), date(2026, 6, 30))
    assert boa.personeelsnummer_hmac == keyed_hash(NUMMER, "personeelsnummer", "test-pseudonym-key")
    stored = _all_rows_as_text(app)
    assert boa.code in stored
    for plain in PLAIN_FORMS:
        assert plain not in stored, "plain personnel number found in the database"
        assert plain not in caplog.text, "plain personnel number found in the log"
    listing = client.get(response.headers["Location"]).text
    assert f"Boa geregistreerd met code {boa.code}." in listing
    assert "774411" not in listing


def test_register_without_personnel_number(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    assert _register(client, opleidingsdatum="", mandaat_start="").status_code == 302
    [boa] = _boas(app)
    assert boa.personeelsnummer_hmac is None and boa.opleidingsdatum is None


def test_mandate_end_before_start_is_refused_beside_the_field(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    response = _register(client, mandaat_start="2025-01-01", mandaat_eind="2024-12-31")
    assert response.status_code == 200
    assert 'id="mandaat_eind-fout">De einddatum van het mandaat ligt vóór de startdatum' in (
        response.text
    )
    assert 'value="2024-12-31"' in response.text
    assert _boas(app) == []
    response = _register(client, mandaat_start="", mandaat_eind="2024-12-31")
    assert 'id="mandaat_start-fout">Vul ook de startdatum van het mandaat in.' in response.text
    response = _register(client, opleidingsdatum="1-6-2024")
    assert 'id="opleidingsdatum-fout">Ongeldige datum.' in response.text
    assert _boas(app) == []


def test_duplicate_personnel_number_in_the_same_gemeente_is_refused(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    _register(client, personeelsnummer=NUMMER)
    [first] = _boas(app)
    response = _register(client, personeelsnummer="pn 774411")  # same number, other spelling
    assert response.status_code == 200
    assert (
        f'id="personeelsnummer-fout">Dit personeelsnummer hoort in deze gemeente al bij boa '
        f"{first.code}." in response.text
    )
    assert len(_boas(app)) == 1
    response = _register(client, personeelsnummer="---")
    assert "Een personeelsnummer bestaat uit letters en cijfers." in response.text


def test_same_personnel_number_in_another_gemeente_is_allowed(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    _register(client, personeelsnummer=NUMMER)
    utrecht = app.test_client()
    login_as(Rol.COORDINATOR, "GM0344", the_client=utrecht)
    assert _register(utrecht, "GM0344", personeelsnummer=NUMMER).status_code == 302
    assert len(_boas(app, "GM0344")) == 1


def test_edit_boa(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    _register(client, personeelsnummer=NUMMER)
    _register(client, personeelsnummer="PN-2")
    boa, other = _boas(app)
    url = f"/gemeente/GM0599/boas/{boa.id}/bewerken"
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="2024-06-15"' in page.text
    assert "Er is al een personeelsnummer vastgelegd" in page.text
    assert "774411" not in page.text and boa.personeelsnummer_hmac not in page.text
    data = {"opleidingsdatum": "2024-05-01", "mandaat_start": "2024-07-01", "mandaat_eind": ""}
    assert client.post(url, data={**data, "personeelsnummer": ""}).status_code == 302
    [changed] = [b for b in _boas(app) if b.id == boa.id]
    assert changed.mandaat_start == date(2024, 7, 1)
    assert changed.personeelsnummer_hmac == boa.personeelsnummer_hmac  # empty keeps it
    refused = client.post(url, data={**data, "personeelsnummer": "pn-2"})
    assert f"hoort in deze gemeente al bij boa {other.code}" in refused.text
    assert client.post(url, data={**data, "personeelsnummer": NUMMER}).status_code == 302
    assert client.post(url, data={**data, "personeelsnummer": "PN-9"}).status_code == 302
    [changed] = [b for b in _boas(app) if b.id == boa.id]
    assert changed.personeelsnummer_hmac == keyed_hash(
        "PN-9", "personeelsnummer", "test-pseudonym-key"
    )


def test_deactivate_boa_after_confirmation_and_reactivate(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    _register(client)
    [boa] = _boas(app)
    url = f"/gemeente/GM0599/boas/{boa.id}/deactiveren"
    assert f'href="{url}"' in client.get("/gemeente/GM0599/boas").text
    question = client.get(url)
    assert question.status_code == 200 and "Weet u zeker" in question.text
    assert 'name="bevestigd" value="ja"' in question.text
    assert "Weet u zeker" in client.post(url).text  # no confirmation: nothing happens
    assert _boas(app)[0].actief is True
    response = client.post(url, data={"bevestigd": "ja"}, follow_redirects=True)
    assert f"Boa {boa.code} is gedeactiveerd." in response.text
    assert _boas(app)[0].actief is False
    assert "gedeactiveerd" in client.get("/gemeente/GM0599/boas").text
    response = client.post(f"/gemeente/GM0599/boas/{boa.id}/reactiveren", follow_redirects=True)
    assert f"Boa {boa.code} is weer actief (bevoegd)." in response.text
    assert _boas(app)[0].actief is True


def test_find_boa_by_personnel_number(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    _register(client, personeelsnummer=NUMMER)
    _register(client, personeelsnummer="PN-2")
    boa = _boas(app)[0]
    url = "/gemeente/GM0599/boas/zoeken"
    assert client.get(url).status_code == 200
    found = client.post(url, data={"personeelsnummer": " pn774411 "})
    assert f"Gevonden: boa <strong>{boa.code}</strong>" in found.text
    assert f"/gemeente/GM0599/boas/{boa.id}/bewerken" in found.text
    assert "774411" not in found.text  # the number is not echoed back
    missing = client.post(url, data={"personeelsnummer": "PN-3"})
    assert "Geen boa van Rotterdam gevonden met dit personeelsnummer." in missing.text
    empty = client.post(url, data={"personeelsnummer": ""})
    assert "Vul een personeelsnummer in." in empty.text


def test_find_stays_within_the_coordinators_own_gemeente(app, client, login_as):
    utrecht = app.test_client()
    login_as(Rol.COORDINATOR, "GM0344", the_client=utrecht)
    _register(utrecht, "GM0344", personeelsnummer=NUMMER)
    login_as(Rol.COORDINATOR, "GM0599")
    response = client.post("/gemeente/GM0599/boas/zoeken", data={"personeelsnummer": NUMMER})
    assert "Geen boa van Rotterdam gevonden" in response.text
    assert "BOA-0344" not in response.text


def test_another_gemeentes_coordinator_gets_404_on_every_boa_route(app, client, login_as):
    with app.app_context():
        utrecht_boa = make_boa("GM0344", code="BOA-0344-UTR1")
        boa_id = utrecht_boa.id
    login_as(Rol.COORDINATOR, "GM0599")
    not_found = _without_csrf_token(client.get("/gemeente/GM9999/boas").text)
    for method, url in [
        ("GET", "/gemeente/GM0344/boas"),
        ("GET", "/gemeente/GM0344/boas/nieuw"),
        ("POST", "/gemeente/GM0344/boas/nieuw"),
        ("GET", f"/gemeente/GM0344/boas/{boa_id}/bewerken"),
        ("POST", f"/gemeente/GM0344/boas/{boa_id}/bewerken"),
        ("POST", f"/gemeente/GM0344/boas/{boa_id}/deactiveren"),
        ("GET", "/gemeente/GM0344/boas/zoeken"),
        ("POST", "/gemeente/GM0344/boas/zoeken"),
        # own gemeente in the URL, another gemeente's boa id
        ("GET", f"/gemeente/GM0599/boas/{boa_id}/bewerken"),
        ("POST", f"/gemeente/GM0599/boas/{boa_id}/bewerken"),
        ("POST", f"/gemeente/GM0599/boas/{boa_id}/deactiveren"),
        ("GET", f"/gemeente/GM0599/boas/{boa_id}/deactiveren"),
        ("POST", f"/gemeente/GM0344/boas/{boa_id}/reactiveren"),
        ("POST", f"/gemeente/GM0599/boas/{boa_id}/reactiveren"),
    ]:
        response = client.open(
            url, method=method, data={"mandaat_start": "2024-01-01", "bevestigd": "ja"}
        )
        assert response.status_code == 404, (method, url)
        assert _without_csrf_token(response.text) == not_found, "404 must not reveal existence"
    [untouched] = _boas(app, "GM0344")
    assert untouched.actief is True and untouched.mandaat_start == date(2024, 6, 15)


def test_tampered_form_fields_cannot_move_a_boa_to_another_gemeente(app, client, login_as):
    with app.app_context():
        utrecht = gemeente_by_code("GM0344")
        utrecht_id = utrecht.id
    login_as(Rol.COORDINATOR, "GM0599")
    tamper = {"gemeente_id": str(utrecht_id), "gemeente": "GM0344", "cbs_code": "GM0344"}
    assert _register(client, **tamper, code="BOA-0344-HACK", actief="").status_code == 302
    [boa] = _boas(app)
    assert boa.gemeente_id != utrecht_id and boa.code.startswith("BOA-0599-")
    assert boa.actief is True
    response = client.post(
        f"/gemeente/GM0599/boas/{boa.id}/bewerken",
        data={**tamper, "id": "1", "mandaat_start": "2024-06-20"},
    )
    assert response.status_code == 302  # the edit itself is accepted ...
    [edited] = _boas(app, "GM0599")
    assert (edited.id, edited.code) == (boa.id, boa.code)  # ... without the tampered fields
    assert edited.mandaat_start == date(2024, 6, 20)
    assert _boas(app, "GM0344") == []


def test_beheerder_sees_boa_lists_read_only(app, client, login_as):
    with app.app_context():
        boa = make_boa("GM0344", code="BOA-0344-LEES")
        boa_id = boa.id
    login_as(Rol.BEHEERDER)
    listing = client.get("/gemeente/GM0344/boas")
    assert listing.status_code == 200 and "BOA-0344-LEES" in listing.text
    assert "Boa registreren" not in listing.text and "/bewerken" not in listing.text
    assert client.post("/gemeente/GM0344/boas/nieuw", data={}).status_code == 403
    assert client.post(f"/gemeente/GM0344/boas/{boa_id}/deactiveren").status_code == 403


def test_a_colliding_code_is_replaced_by_a_fresh_one(app):
    with app.app_context():
        make_boa("GM0599", code="BOA-0599-AAAA")
        rotterdam = gemeente_by_code("GM0599")
        offered = iter(["BOA-0599-AAAA", "BOA-0599-AAAA", "BOA-0599-BBBB"])
        boa = boas_service.register_boa(
            rotterdam, boas_service.BoaInput(), make_code=lambda _cbs: next(offered)
        )
        assert boa.code == "BOA-0599-BBBB"
        with pytest.raises(DomainError, match="geen vrije boa-code"):
            boas_service.register_boa(
                rotterdam, boas_service.BoaInput(), make_code=lambda _cbs: "BOA-0599-AAAA"
            )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"opleidingsdatum": "2025-11-16"}, "opleidingsdatum", "in de toekomst"),
        ({"opleidingsdatum": "", "mandaat_start": "2024-06-15"}, "mandaat_start", "eerst"),
        ({"mandaat_start": "2024-05-31"}, "mandaat_start", "vóór de opleiding"),
        ({"mandaat_eind": "2024-06-14"}, "mandaat_eind", "vóór de startdatum"),
        ({"mandaat_start": "", "mandaat_eind": "2025-01-01"}, "mandaat_start", "startdatum"),
    ],
)
def test_dates_that_cannot_be_true_are_refused(
    app, client, login_as, frozen_clock, fields, field, message
):
    login_as(Rol.COORDINATOR, "GM0599")
    response = _register(client, **fields)
    assert response.status_code == 200
    assert re.search(rf'id="{field}-fout">[^<]*{message}', response.text), response.text
    assert _boas(app) == []
    with app.app_context(), pytest.raises(DomainError):
        boas_service.register_boa(
            gemeente_by_code("GM0599"),
            boas_service.BoaInput(
                opleidingsdatum=date(2025, 11, 16), mandaat_start=None, mandaat_eind=None
            ),
        )


def test_status_in_opleiding_bevoegd_and_who_the_forms_offer(app, client, login_as, frozen_clock):
    with app.app_context():
        leerling = make_boa(
            "GM0599", code="BOA-0599-LEER", opleidingsdatum=None, mandaat_start=None
        )
        opgeleid = make_boa("GM0599", code="BOA-0599-OPGL", mandaat_start=None)
        bevoegd = make_boa("GM0599", code="BOA-0599-BEVG")
        verlopen = make_boa("GM0599", code="BOA-0599-VERL", mandaat_eind=date(2025, 6, 30))
        weg = make_boa("GM0599", code="BOA-0599-WEGG", actief=False)
        today = date(2025, 11, 15)
        assert [b.status(today).label for b in (leerling, opgeleid, bevoegd, verlopen, weg)] == [
            "in opleiding",
            "opgeleid, geen geldig mandaat",
            "bevoegd",
            "opgeleid, geen geldig mandaat",
            "gedeactiveerd",
        ]
    login_as(Rol.COORDINATOR, "GM0599")
    listing = client.get("/gemeente/GM0599/boas").text
    assert "in opleiding" in listing and "bevoegd" in listing
    form = client.get("/gemeente/GM0599/incidenten/nieuw").text
    offered = set(re.findall(r">(BOA-0599-[A-Z]{4})</option>", form))
    # an expired mandate is still offered: an incident from its time may be registered late
    assert offered == {"BOA-0599-BEVG", "BOA-0599-VERL"}
    template = client.get("/gemeente/GM0599/importeren/sjabloon.xlsx").data
    sheet = openpyxl.load_workbook(io.BytesIO(template))["codes"]
    in_template = {
        c.value for col in sheet.iter_cols() for c in col if str(c.value).startswith("BOA")
    }
    assert in_template == {"BOA-0599-BEVG", "BOA-0599-VERL"}


def test_an_incident_of_a_boa_in_opleiding_is_refused_with_the_reason(app, frozen_clock):
    with app.app_context():
        leerling = make_boa("GM0599", opleidingsdatum=None, mandaat_start=None)
        item = IncidentInput(
            tijdstip=datetime(2025, 9, 12, 21, 30, tzinfo=UTC),
            lat=51.92417,
            lon=4.48687,
            boa_id=leerling.id,
            locatie_type="straat",
            gedragingen=["opmerkingen"],
            kennisname="eigen_waarneming",
            kleding="uniform",
            rol_boa="interventie",
            afdoening="waarschuwing",
        )
        [errors] = validate_batch(gemeente_by_code("GM0599"), [item])
        assert errors["boa_id"] == [
            f"Boa {leerling.code} is nog in opleiding: er is geen opleidingsdatum vastgelegd."
        ]
