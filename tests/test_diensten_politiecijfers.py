"""Diensten and police figures: rules through HTTP, scoping, upsert, and the duration rule."""

import html
import re
from datetime import time

import pytest

from pilot.extensions import db
from pilot.models import Dienst, PolitieCijfer, Rol
from pilot.services.diensten import duur_minuten

DIENSTEN = "/gemeente/GM0599/diensten"
POLITIE = "/gemeente/GM0599/politiecijfers/"
ERROR = re.compile(r'<p class="error" id="([\w-]+)-fout">(.*?)</p>', re.S)
pytestmark = pytest.mark.usefixtures("frozen_clock")  # today is 15-11-2025


def errors(response) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, message in ERROR.findall(response.get_data(as_text=True)):
        found.setdefault(name, []).append(html.unescape(message))
    return found


def dienst_form(**changes) -> dict:
    data = {
        "datum": "2025-09-12",
        "begintijd": "21:00",
        "eindtijd": "03:00",
        "gebied": "Uitgaansgebied centrum",
        "gebiedstype": "uitgaansgebied",
        "aantal_uniform": "2",
        "aantal_burger": "1",
    }
    data.update(changes)
    return data


def count(model) -> int:
    return db.session.execute(db.select(db.func.count(model.id))).scalar_one()


@pytest.fixture
def coordinator(app, client, login_as):
    login_as(Rol.COORDINATOR, "GM0599")
    with app.app_context():
        yield


@pytest.mark.parametrize(
    ("begin", "end", "minutes"),
    [(time(21), time(3), 360), (time(13), time(19), 360), (time(23, 30), time(0, 15), 45)],
)
def test_duration_runs_past_midnight_when_end_is_before_begin(begin, end, minutes):
    assert duur_minuten(begin, end) == minutes


def test_night_shift_is_stored_with_derived_duration_and_listed(coordinator, client):
    assert client.post(f"{DIENSTEN}/nieuw", data=dienst_form()).status_code == 302
    dienst = db.session.execute(db.select(Dienst)).scalar_one()
    assert dienst.duur_minuten == 360 and dienst.inzeturen == 18
    assert dienst.gebiedstype == "uitgaansgebied"
    page = client.get(f"{DIENSTEN}/").get_data(as_text=True)
    assert "Uitgaansgebied centrum" in page and "tot de volgende dag" in page
    assert "<td>Uitgaansgebied</td>" in page  # the type's label in its own column


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"datum": "2024-06-30"}, "datum", "buiten de pilotperiode"),
        ({"datum": "2025-11-16"}, "datum", "in de toekomst"),
        ({"datum": ""}, "datum", "Vul de datum"),
        ({"eindtijd": "21:00"}, "eindtijd", "gelijk"),
        ({"begintijd": "08:00", "eindtijd": "23:00"}, "eindtijd", "hoogstens 12 uur"),
        ({"begintijd": ""}, "begintijd", "Vul de begintijd"),
        ({"aantal_uniform": "-1"}, "aantal_uniform", "tussen 0 en"),
        ({"aantal_burger": "-2"}, "aantal_burger", "tussen 0 en"),
        ({"aantal_uniform": "0", "aantal_burger": "0"}, "aantal_uniform", "ten minste één boa"),
        ({"aantal_burger": "twee"}, "aantal_burger", "Ongeldig getal"),
        ({"gebied": ""}, "gebied", "Beschrijf kort"),
        ({"gebied": "bij 0612345678"}, "gebied", "telefoonnummer"),
        ({"gebiedstype": ""}, "gebiedstype", "Kies het type gebied"),
        ({"gebiedstype": "tramhalte"}, "gebiedstype", "Onbekende code voor 'Type gebied'"),
    ],
)
def test_invalid_shift_is_refused_on_its_field(coordinator, client, changes, field, fragment):
    response = client.post(f"{DIENSTEN}/nieuw", data=dienst_form(**changes))
    assert response.status_code == 200
    assert any(fragment in m for m in errors(response).get(field, [])), errors(response)
    assert count(Dienst) == 0


def test_refused_shift_keeps_the_input_and_offers_the_area_types(coordinator, client):
    response = client.post(f"{DIENSTEN}/nieuw", data=dienst_form(gebiedstype="", gebied="Neude"))
    page = response.get_data(as_text=True)
    assert errors(response) == {"gebiedstype": ["Kies het type gebied van de dienst."]}
    assert 'value="Neude"' in page and 'value="2025-09-12"' in page
    assert '<option value="ov_station">OV / station</option>' in page
    assert '<option value="centrum_overig">Centrum (overig)</option>' in page
    kept = client.post(f"{DIENSTEN}/nieuw", data=dienst_form(aantal_uniform="-1"))
    assert '<option selected value="uitgaansgebied">Uitgaansgebied</option>' in kept.text


def test_an_area_type_added_by_the_beheerder_is_offered_and_accepted(app, client, login_as):
    beheerder = app.test_client()
    login_as(Rol.BEHEERDER, the_client=beheerder)
    added = beheerder.post(
        "/beheer/codelijsten/gebiedstype/nieuw",
        data={"code": "strand", "label": "Strand / boulevard", "toelichting": ""},
    )
    assert added.status_code == 302
    login_as(Rol.COORDINATOR, "GM0599")
    form = client.get(f"{DIENSTEN}/nieuw").get_data(as_text=True)
    assert '<option value="strand">Strand / boulevard</option>' in form
    assert (
        client.post(f"{DIENSTEN}/nieuw", data=dienst_form(gebiedstype="strand")).status_code == 302
    )
    with app.app_context():
        assert db.session.execute(db.select(Dienst.gebiedstype)).scalar_one() == "strand"
    assert "<td>Strand / boulevard</td>" in client.get(f"{DIENSTEN}/").get_data(as_text=True)


def _stored_dienst(cbs_code: str, gebied: str) -> int:
    """A dienst written straight to the database, without an area type; returns its id."""
    from tests.factories import gemeente

    owner = gemeente(cbs_code)
    dienst = Dienst(
        gemeente_id=owner.id, datum=owner.pilot_start, begintijd=time(20), eindtijd=time(23),
        duur_minuten=180, gebied=gebied, aantal_uniform=2, aantal_burger=0,
    )  # fmt: skip
    db.session.add(dienst)
    db.session.commit()
    return dienst.id


def test_an_old_shift_without_area_type_shows_unknown_and_needs_one_when_corrected(
    app, client, login_as
):
    with app.app_context():
        dienst_id = _stored_dienst("GM0599", "Centrum")  # from before the area type was asked
    login_as(Rol.COORDINATOR, "GM0599")
    assert '<span class="hint">onbekend</span>' in client.get(f"{DIENSTEN}/").text
    edit = f"{DIENSTEN}/{dienst_id}/wijzigen"
    refused = client.post(edit, data=dienst_form(gebiedstype="", version="1"))
    assert "Kies het type gebied" in errors(refused).get("gebiedstype", [""])[0]
    assert client.post(edit, data=dienst_form(gebiedstype="park", version="1")).status_code == 302
    with app.app_context():
        assert db.session.get(Dienst, dienst_id).gebiedstype == "park"


def test_shift_edit_uses_version_check_and_scoping(coordinator, client):
    client.post(f"{DIENSTEN}/nieuw", data=dienst_form())
    dienst_id = db.session.execute(db.select(Dienst.id)).scalar_one()
    edit = f"{DIENSTEN}/{dienst_id}/wijzigen"
    assert 'value="Uitgaansgebied centrum"' in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data=dienst_form(aantal_burger="3", version="1")).status_code == 302
    stale = client.post(edit, data=dienst_form(aantal_burger="0", version="1"))
    assert "intussen door iemand anders gewijzigd" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dienst, dienst_id).aantal_burger == 3
    assert client.get(f"/gemeente/GM0344/diensten/{dienst_id}/wijzigen").status_code == 404
    assert client.get("/gemeente/GM0344/diensten/").status_code == 404


def test_other_gemeentes_shift_is_not_found(app, client, login_as, make_user):
    with app.app_context():
        dienst_id = _stored_dienst("GM0344", "Neude")
    login_as(Rol.COORDINATOR, "GM0599")
    response = client.post(f"{DIENSTEN}/{dienst_id}/wijzigen", data=dienst_form(version="1"))
    assert response.status_code == 404
    with app.app_context():
        stored = db.session.get(Dienst, dienst_id)
        assert (stored.gebied, stored.aantal_burger, stored.version) == ("Neude", 0, 1)


def test_police_figures_upsert_per_month(coordinator, client):
    data = {"maand": "2025-03", "meldingen": "12", "aangiftes": "", "processen_verbaal": "2"}
    assert client.post(POLITIE, data=data).status_code == 302
    data.update(meldingen="14", aangiftes="4")
    assert client.post(POLITIE, data=data).status_code == 302
    row = db.session.execute(db.select(PolitieCijfer)).scalar_one()
    assert (row.maand.isoformat(), row.meldingen, row.aangiftes, row.processen_verbaal) == (
        "2025-03-01",
        14,
        4,
        2,
    )
    page = client.get(POLITIE).get_data(as_text=True)
    assert "03-2025" in page
    prefilled = client.get(f"{POLITIE}?maand=2025-03").get_data(as_text=True)
    assert 'value="14"' in prefilled


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"meldingen": "-1"}, "meldingen", "niet negatief"),
        ({"processen_verbaal": "-3"}, "processen_verbaal", "niet negatief"),
        (
            {"meldingen": "", "aangiftes": "", "processen_verbaal": ""},
            "meldingen",
            "ten minste één",
        ),
        ({"maand": "2024-05"}, "maand", "pas vanaf juli 2024"),
        ({"maand": "2025-12"}, "maand", "in de toekomst"),
        ({"maand": ""}, "maand", "Kies de maand"),
    ],
)
def test_invalid_police_figures_are_refused(coordinator, client, changes, field, fragment):
    data = {"maand": "2025-03", "meldingen": "12", "aangiftes": "3", "processen_verbaal": "2"}
    data.update(changes)
    response = client.post(POLITIE, data=data)
    assert any(fragment in m for m in errors(response).get(field, [])), errors(response)
    assert count(PolitieCijfer) == 0


def test_beheerder_enters_police_figures_for_any_gemeente(client, login_as):
    login_as(Rol.BEHEERDER)
    data = {"maand": "2025-05", "meldingen": "7"}
    assert client.post("/gemeente/GM0344/politiecijfers/", data=data).status_code == 302
    assert client.get("/gemeente/GM0344/diensten/").status_code == 403


def test_coordinator_cannot_enter_police_figures_for_another_gemeente(coordinator, client):
    data = {"maand": "2025-05", "meldingen": "7"}
    assert client.post("/gemeente/GM0344/politiecijfers/", data=data).status_code == 404
    assert count(PolitieCijfer) == 0
