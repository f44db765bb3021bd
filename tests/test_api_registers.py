"""Boa's, diensten, police figures and code lists through the API: the same services as
the web screens (their rules, on the field, in Dutch), with nothing written when refused."""

import pytest

from pilot import codes
from pilot.extensions import db
from pilot.models import Boa, Dienst, PolitieCijfer
from pilot.services import codelists
from tests.api_support import bearer, issue

ROTTERDAM = "/api/v1/gemeenten/GM0599"
pytestmark = pytest.mark.usefixtures("frozen_clock")  # today is 15-11-2025


@pytest.fixture
def secret(app) -> str:
    return issue(app)[1]


def pointers(response) -> dict[str, str]:
    return {e["pointer"]: e["detail"] for e in response.get_json()["errors"]}


def test_boa_is_registered_under_a_new_code_and_listed(app, client, secret):
    created = client.post(
        f"{ROTTERDAM}/boas",
        json={
            "opleidingsdatum": "2025-03-01",
            "mandaat_start": "2025-04-01",
            "personeelsnummer": "A123",
        },
        headers=bearer(secret),
    )
    assert created.status_code == 201
    boa = created.get_json()
    assert boa["code"].startswith("BOA-0599-") and "personeelsnummer" not in boa
    listed = client.get(f"{ROTTERDAM}/boas", headers=bearer(secret)).get_json()["boas"]
    assert [b["code"] for b in listed] == [boa["code"]]
    twice = client.post(
        f"{ROTTERDAM}/boas",
        json={"mandaat_start": "2025-04-01", "personeelsnummer": "a123"},
        headers=bearer(secret),
    )
    assert twice.status_code == 422
    assert f"al bij boa {boa['code']}" in pointers(twice)["#/personeelsnummer"]
    backwards = client.post(
        f"{ROTTERDAM}/boas",
        json={"mandaat_start": "2025-04-01", "mandaat_eind": "2025-03-01"},
        headers=bearer(secret),
    )
    assert "#/mandaat_eind" in pointers(backwards)
    with app.app_context():
        stored = db.session.execute(db.select(Boa)).scalar_one()
        assert stored.personeelsnummer_hmac and "A123" not in stored.personeelsnummer_hmac


def test_dienst_past_midnight_and_the_shift_rules(app, client, secret):
    night = {
        "datum": "2025-09-12",
        "begintijd": "22:00",
        "eindtijd": "03:00",
        "gebied": "Centrum",
        "gebiedstype": "uitgaansgebied",
    }
    created = client.post(
        f"{ROTTERDAM}/diensten",
        json={**night, "aantal_uniform": 2, "aantal_burger": 1},
        headers=bearer(secret),
    )
    assert created.status_code == 201
    assert (created.get_json()["duur_minuten"], created.get_json()["inzeturen"]) == (300, 15.0)
    assert created.get_json()["gebiedstype"] == "uitgaansgebied"
    without_type = {k: v for k, v in night.items() if k != "gebiedstype"}
    refused = {
        "#/eindtijd": {**night, "eindtijd": "22:00", "aantal_uniform": 1},
        "#/aantal_uniform": {**night, "aantal_uniform": 0, "aantal_burger": 0},
        "#/datum": {**night, "datum": "2025-12-01", "aantal_uniform": 1},
        "#/gebied": {**night, "gebied": "Bel 0612345678", "aantal_uniform": 1},
        "#/begintijd": {**night, "begintijd": "25:00", "aantal_uniform": 1},
        "#/gebiedstype": {**night, "gebiedstype": "strand", "aantal_uniform": 1},
    }
    for pointer, body in refused.items():
        response = client.post(f"{ROTTERDAM}/diensten", json=body, headers=bearer(secret))
        assert response.status_code == 422 and pointer in pointers(response), pointer
    unknown = client.post(
        f"{ROTTERDAM}/diensten", json={**night, "gebiedstype": "strand"}, headers=bearer(secret)
    )
    assert "Onbekende code voor 'Type gebied'" in pointers(unknown)["#/gebiedstype"]
    missing = client.post(f"{ROTTERDAM}/diensten", json=without_type, headers=bearer(secret))
    assert missing.status_code == 422 and "#/gebiedstype" in pointers(missing)
    listed = client.get(f"{ROTTERDAM}/diensten", headers=bearer(secret)).get_json()
    assert len(listed["diensten"]) == 1 and listed["volgende"] is None
    assert listed["diensten"][0]["gebiedstype"] == "uitgaansgebied"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Dienst.id))).scalar_one() == 1


def test_dienst_with_an_area_type_the_beheerder_added(app, client, secret):
    body = {
        "datum": "2025-09-13",
        "begintijd": "13:00",
        "eindtijd": "19:00",
        "gebied": "Boulevard",
        "gebiedstype": "strand",
        "aantal_uniform": 2,
    }
    refused = client.post(f"{ROTTERDAM}/diensten", json=body, headers=bearer(secret))
    assert refused.status_code == 422
    with app.app_context():
        codelists.add_code("gebiedstype", "strand", "Strand / boulevard")
    created = client.post(f"{ROTTERDAM}/diensten", json=body, headers=bearer(secret))
    assert created.status_code == 201 and created.get_json()["gebiedstype"] == "strand"
    answer = client.get("/api/v1/codelijsten", headers=bearer(secret)).get_json()["codelijsten"]
    gebiedstype = next(c for c in answer if c["naam"] == "gebiedstype")
    assert gebiedstype["titel"] == "Type gebied"
    assert gebiedstype["codes"][-1] == {
        "code": "strand",
        "label": "Strand / boulevard",
        "toelichting": "",
    }


def test_police_figures_are_upserted_per_month(app, client, secret):
    url = f"{ROTTERDAM}/politiecijfers/2025-09"
    first = client.put(url, json={"meldingen": 4}, headers=bearer(secret))
    assert first.status_code == 201
    corrected = client.put(url, json={"meldingen": 5, "aangiftes": 1}, headers=bearer(secret))
    assert corrected.status_code == 200
    assert corrected.get_json() == {
        "maand": "2025-09",
        "meldingen": 5,
        "aangiftes": 1,
        "processen_verbaal": None,
    }
    for month, body, place in (
        ("2024-06", {"meldingen": 1}, ("parameter", "maand")),
        ("2025-12", {"meldingen": 1}, ("parameter", "maand")),
        ("2025-10", {}, ("pointer", "#/meldingen")),
        ("2025-10", {"aangiftes": -1}, ("pointer", "#/aangiftes")),
    ):
        response = client.put(
            f"{ROTTERDAM}/politiecijfers/{month}", json=body, headers=bearer(secret)
        )
        assert response.status_code == 422
        found = [
            (k, v) for e in response.get_json()["errors"] for k, v in e.items() if k != "detail"
        ]
        assert found == [place], (month, body)
    assert (
        client.put(
            f"{ROTTERDAM}/politiecijfers/2025-13", json={}, headers=bearer(secret)
        ).status_code
        == 404
    )
    listed = client.get(f"{ROTTERDAM}/politiecijfers", headers=bearer(secret)).get_json()
    assert [row["maand"] for row in listed["politiecijfers"]] == ["2025-09"]
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(PolitieCijfer.id))).scalar_one() == 1


def test_code_lists_are_read_from_pilot_codes(client, secret):
    answer = client.get("/api/v1/codelijsten", headers=bearer(secret)).get_json()["codelijsten"]
    expected = [*codes.ALL_CODE_LISTS, *codes.DERIVED_CODE_LISTS]
    assert [c["naam"] for c in answer] == [c.name for c in expected]
    afdoening = next(c for c in answer if c["naam"] == "afdoening")
    assert [(c["code"], c["label"]) for c in afdoening["codes"]] == codes.AFDOENING.choices()
