"""The finer extract by grant: a beheerder grants, lists and revokes; only the named
evaluator downloads, only while the grant is active; everything is audited."""

import io
import re
import zipfile
from datetime import UTC, date, datetime

import pandas as pd
import pytest
from pypdf import PdfReader

from pilot import clock
from pilot.extensions import db
from pilot.models import AuditEvent, ExtractGrant, Rol, User
from tests.conftest import log_in
from tests.factories import make_boa, make_incident

DOEL = "Analyse van afdoening naar tijdvak voor het evaluatierapport."


@pytest.fixture
def incidents(app, frozen_clock):
    with app.app_context():
        boa = make_boa("GM0599", code="BOA-ROT-01")
        for day in (3, 9, 17):
            make_incident(boa, 51.9225, 4.4792, datetime(2025, 8, day, 22, tzinfo=UTC))


def _log_in(app, client, user) -> None:
    client.post("/uitloggen")
    log_in(app, client, user)


def _grant(client, evaluator, geldig_tot="2025-12-31", doel=DOEL):
    return client.post(
        "/beheer/extracten/nieuw",
        data={"user_id": evaluator.id, "doel": doel, "geldig_tot": geldig_tot},
    )


def _events(app, actie: str) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.execute(
                db.select(AuditEvent).where(
                    AuditEvent.entiteit == "extract_grant", AuditEvent.actie == actie
                )
            ).scalars()
        )


@pytest.mark.slow
def test_grant_download_expiry_and_revocation(app, client, login_as, make_user, incidents):
    evaluator = make_user(Rol.EVALUATOR, gebruikersnaam="evaluator-a")
    other = make_user(Rol.EVALUATOR, gebruikersnaam="evaluator-b")
    ministerie = make_user(Rol.MINISTERIE, gebruikersnaam="ministerie-a")
    beheerder = login_as(Rol.BEHEERDER)

    response = _grant(client, evaluator)
    assert response.status_code == 302
    with app.app_context():
        grant = db.session.execute(db.select(ExtractGrant)).scalar_one()
        grant_id = grant.id
        assert grant.verleend_door_id == beheerder.id and grant.geldig_tot == date(2025, 12, 31)
    page = client.get("/beheer/extracten").get_data(as_text=True)
    assert "evaluator-a" in page and DOEL in page and "actief" in page
    assert client.get(f"/dataset/extract/{grant_id}").status_code == 403, "beheerder downloads not"
    created = _events(app, "aanmaken")
    assert len(created) == 1 and created[0].user_id == beheerder.id
    assert created[0].details["doel"] == DOEL

    _log_in(app, client, evaluator)
    page = client.get("/dataset/").get_data(as_text=True)
    assert f"/dataset/extract/{grant_id}" in page and DOEL in page
    response = client.get(f"/dataset/extract/{grant_id}")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    disposition = response.headers["Content-Disposition"]
    assert re.search(rf"extract-toestemming-{grant_id}-", disposition)
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    frame = pd.read_csv(io.BytesIO(archive.read("incidenten.csv")), dtype=str)
    assert len(frame) == 3 and set(frame["boa"]) == {"BOA-ROT-01"}
    assert {"datum", "cel_x", "tijdvak", "registratie_vertraging_dagen"} <= set(frame.columns)
    assert set(frame["cel_x"].astype(int) % 100) == {0}
    assert not {"incident_id", "opmerking", "lat", "lon", "zaaknummer_hmac"} & set(frame.columns)
    codebook = PdfReader(io.BytesIO(archive.read("codeboek.pdf")))
    text = " ".join(page.extract_text() for page in codebook.pages)
    assert f"toestemming {grant_id}" in text and "Niet verder verspreiden" in text
    downloads = _events(app, "exporteren")
    assert [(e.entiteit_id, e.user_id) for e in downloads] == [(str(grant_id), evaluator.id)]

    _log_in(app, client, other)
    assert client.get(f"/dataset/extract/{grant_id}").status_code == 404
    assert f"/dataset/extract/{grant_id}" not in client.get("/dataset/").get_data(as_text=True)
    _log_in(app, client, ministerie)
    assert client.get(f"/dataset/extract/{grant_id}").status_code == 403
    assert client.get("/dataset/evaluatiedataset.zip").status_code == 403

    with clock.frozen(datetime(2026, 1, 1, 12, tzinfo=UTC)):
        _log_in(app, client, evaluator)
        response = client.get(f"/dataset/extract/{grant_id}")
        assert response.status_code == 403
        assert "verlopen op 31-12-2025" in response.get_data(as_text=True)
        page = client.get("/dataset/").get_data(as_text=True)
        assert "geen actieve toestemming" in page and f"/dataset/extract/{grant_id}" not in page
    with app.app_context():  # the clock goes back: forget the TOTP step used in 2026
        db.session.get(User, evaluator.id).totp_laatste_stap = None
        db.session.commit()

    _log_in(app, client, beheerder)
    assert client.post(f"/beheer/extracten/{grant_id}/intrekken").status_code == 302
    assert "ingetrokken" in client.get("/beheer/extracten").get_data(as_text=True)
    revoked = _events(app, "intrekken")
    assert len(revoked) == 1 and revoked[0].user_id == beheerder.id
    response = client.post(f"/beheer/extracten/{grant_id}/intrekken", follow_redirects=True)
    assert "al ingetrokken" in response.get_data(as_text=True)
    _log_in(app, client, evaluator)
    response = client.get(f"/dataset/extract/{grant_id}")
    assert response.status_code == 403 and "ingetrokken" in response.get_data(as_text=True)
    assert len(_events(app, "exporteren")) == 1, "refused downloads are not exports"
    assert client.get("/dataset/extract/999999").status_code == 404


def test_a_grant_needs_an_evaluator_a_purpose_and_a_date(
    app, client, login_as, make_user, frozen_clock
):
    evaluator = make_user(Rol.EVALUATOR, gebruikersnaam="evaluator-a")
    coordinator = make_user(Rol.COORDINATOR, "GM0599", gebruikersnaam="coord")
    login_as(Rol.BEHEERDER)
    cases = [
        (coordinator.id, DOEL, "2025-12-31", "Kies een actieve evaluator."),
        (2**64, DOEL, "2025-12-31", "Kies een actieve evaluator."),  # no id the database holds
        (evaluator.id, "kort", "2025-12-31", "minstens 10 tekens"),
        (evaluator.id, "Bellen naar 06-12345678 voor de analyse", "2025-12-31", "telefoonnummer"),
        (evaluator.id, DOEL, "2025-01-01", "in het verleden"),
        (evaluator.id, DOEL, "2027-06-01", "hoogstens een jaar"),
        (evaluator.id, DOEL, "", "laatste dag"),
    ]
    for user_id, doel, tot, message in cases:
        response = client.post(
            "/beheer/extracten/nieuw", data={"user_id": user_id, "doel": doel, "geldig_tot": tot}
        )
        assert response.status_code == 200, message
        assert message in response.get_data(as_text=True), message
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(ExtractGrant.id))).scalar_one() == 0
    assert "evaluator-a" in client.get("/beheer/extracten/nieuw").get_data(as_text=True)
    assert "coord" not in client.get("/beheer/extracten/nieuw").get_data(as_text=True)
