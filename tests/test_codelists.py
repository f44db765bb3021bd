"""Code lists kept by the beheerder: stored, versioned, audited, and followed everywhere."""

import csv
import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest
from flask_migrate import upgrade
from pypdf import PdfReader

from pilot import clock, codes, create_app
from pilot.extensions import db
from pilot.models import AuditEvent, CodeboekVersie, ExtractGrant, Incident, Rol
from pilot.services import codelists
from pilot.services.dataset import rows as dataset_rows
from pilot.services.dataset.protected import variable_of
from pilot.services.disclosure.publication import breakdowns
from pilot.services.disclosure.quasi_identifiers import LOCATIE_TYPE as LOCATIE_TYPE_QI
from pilot.services.errors import DomainError
from pilot.services.gemeenten import get_gemeente
from pilot.services.incidenten import IncidentInput, create_incident
from tests.factories import make_boa

ROTTERDAM = (51.92417, 4.48687)
BASE = codes.BUILTIN_BOOK.versie  # version 1 (the seed) plus the lists added since


def _add_tram(client):
    return client.post(
        "/beheer/codelijsten/locatie_type/nieuw",
        data={
            "code": "tram",
            "label": "Tram / tramhalte",
            "toelichting": "Veel meldingen in trams.",
        },
    )


def test_the_migrations_store_version_1_as_the_seed_and_each_added_list_after_it(
    make_database_url, test_config, monkeypatch, tmp_path
):
    monkeypatch.setenv("PILOT_INSTANCE_PATH", str(tmp_path))
    app = create_app({**test_config, "SQLALCHEMY_DATABASE_URI": make_database_url("codes_v1")})
    with app.app_context():
        upgrade()
        versions = db.session.execute(db.select(CodeboekVersie).order_by(CodeboekVersie.versie))
        assert [(v.versie, v.codelijst) for v in versions.scalars()] == [
            (1, None),
            *((1 + i, added.code_list.name) for i, added in enumerate(codes.ADDED, start=1)),
        ]
        book = codes.current()
        assert book is not codes.BUILTIN_BOOK  # read from the store
        assert book.versie == BASE == 2
        assert [cl.name for cl in book] == [
            *(cl.name for cl in codes.SEED),
            *(added.code_list.name for added in codes.ADDED),
        ]
        for seed in codes.SEED:
            assert book[seed.name] == seed
        gebiedstype = book["gebiedstype"]
        assert gebiedstype == codes.BUILTIN_BOOK["gebiedstype"]
        assert {c.sinds_versie for c in gebiedstype.codes} == {2}
        assert gebiedstype.titel == "Type gebied" and "ov_station" in gebiedstype
        db.session.remove()
        db.engine.dispose()


def test_beheerder_adds_a_code_and_every_output_follows(app, client, login_as, boundaries_loaded):
    login_as(Rol.BEHEERDER)
    page = client.get("/beheer/codelijsten")
    assert page.status_code == 200
    assert f"codeboek versie {BASE}" in page.text and "uitgaansgebied" in page.text
    assert _add_tram(client).status_code == 302
    page = client.get("/beheer/codelijsten")
    assert f"codeboek versie {BASE + 1}" in page.text and "Tram / tramhalte" in page.text
    assert "Veel meldingen in trams." in page.text

    with app.app_context():
        book = codes.current()
        assert book.versie == BASE + 1
        assert book["locatie_type"].codes[-1] == codes.Code(
            "tram", "Tram / tramhalte", "", BASE + 1
        )
        assert [c.code for c in book["locatie_type"].codes][:-1] == [
            c.code for c in codes.SEED_BOOK["locatie_type"].codes
        ]
        event = db.session.execute(
            db.select(AuditEvent).where(
                AuditEvent.entiteit == "codelijst_code", AuditEvent.actor == "beheerder-x"
            )
        ).scalar_one()
        assert event.actie == "aanmaken" and event.details["code"] == "tram"
        assert event.actor == "beheerder-x"
        boa = make_boa("GM0599")
        incident = create_incident(
            get_gemeente("GM0599"),
            IncidentInput(
                tijdstip=datetime(2025, 9, 12, 21, 30, tzinfo=UTC),
                lat=ROTTERDAM[0],
                lon=ROTTERDAM[1],
                boa_id=boa.id,
                locatie_type="tram",
                gedragingen=["opmerkingen"],
                kennisname="eigen_waarneming",
                kleding="uniform",
                rol_boa="interventie",
                afdoening="waarschuwing",
                leeftijd_verdachten="18_24",
            ),
        )
        assert incident.locatie_type == "tram"

    # the coordinator's incident form, list filter and import template
    coordinator = client.application.test_client()
    login_as(Rol.COORDINATOR, "GM0599", the_client=coordinator)
    form = coordinator.get("/gemeente/GM0599/incidenten/nieuw").text
    assert '<option value="tram">Tram / tramhalte</option>' in form
    assert 'value="tram"' in coordinator.get("/gemeente/GM0599/incidenten/").text
    assert 'value="tram"' in coordinator.get("/hotspots/gemeente/GM0599/kaart").text
    workbook = openpyxl.load_workbook(
        io.BytesIO(coordinator.get("/gemeente/GM0599/importeren/sjabloon.xlsx").data)
    )
    codes_sheet = [c.value for col in workbook["codes"].iter_cols() for c in col]
    assert "tram" in codes_sheet
    assert ["tram", "Tram / tramhalte"] in [
        [c.value for c in row[:2]] for row in workbook["Toelichting"].iter_rows()
    ]

    # the evaluator's dataset: the codebook CSV and PDF with the new version (the incident itself
    # is left out: the default dataset drops a gemeente-quarter with fewer than k incidents)
    evaluator = client.application.test_client()
    evaluator_user = login_as(Rol.EVALUATOR, the_client=evaluator)
    archive = zipfile.ZipFile(io.BytesIO(evaluator.get("/dataset/evaluatiedataset.zip").data))
    codebook = list(csv.DictReader(io.StringIO(archive.read("codeboek.csv").decode())))
    assert any(
        r["variabele"] == "locatie_type"
        and r["code"] == "tram"
        and r["label"] == "Tram / tramhalte"
        for r in codebook
    )
    log = [r for r in codebook if r["bestand"] == "codeboek"]
    assert [r["code"] for r in log] == [str(v) for v in range(1, BASE + 2)]
    assert log[-1]["codelijst"] == "locatie_type" and "‘tram’" in log[-1]["omschrijving"]
    pdf = PdfReader(io.BytesIO(archive.read("codeboek.pdf")))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert f"versie {BASE + 1}" in text and "Tram / tramhalte" in text
    assert "Wijzigingen in het codeboek" in text

    # the finer extract, granted by the beheerder, has the incident with its new code
    response = client.post(
        "/beheer/extracten/nieuw",
        data={
            "user_id": evaluator_user.id,
            "doel": "Controle van de nieuwe locatiecode voor het evaluatierapport.",
            "geldig_tot": clock.today().isoformat(),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        grant_id = db.session.execute(db.select(ExtractGrant.id)).scalar_one()
    archive = zipfile.ZipFile(io.BytesIO(evaluator.get(f"/dataset/extract/{grant_id}").data))
    rows = list(csv.DictReader(io.StringIO(archive.read("incidenten.csv").decode())))
    assert [r["locatie_type"] for r in rows] == ["tram"]
    extract_codebook = list(csv.DictReader(io.StringIO(archive.read("codeboek.csv").decode())))
    assert any(r["variabele"] == "locatie_type" and r["code"] == "tram" for r in extract_codebook)


def test_a_corrected_label_keeps_the_code_and_its_records(app, client, login_as):
    login_as(Rol.BEHEERDER)
    response = client.post(
        "/beheer/codelijsten/afdoening/waarschuwing/label",
        data={"label": "Aanspreken of waarschuwing", "toelichting": ""},
    )
    assert response.status_code == 302
    with app.app_context():
        book = codes.current()
        assert book.versie == BASE + 1
        assert book["afdoening"].label("waarschuwing") == "Aanspreken of waarschuwing"
        assert [c.code for c in book["afdoening"].codes] == [
            c.code for c in codes.SEED_BOOK["afdoening"].codes
        ]
        assert "Aanspreken / waarschuwing" in book.changes[-1].wijziging
        event = db.session.execute(
            db.select(AuditEvent).where(
                AuditEvent.entiteit == "codelijst_code", AuditEvent.actie == "wijzigen"
            )
        ).scalar_one()
        assert event.details["label"] == ["Aanspreken / waarschuwing", "Aanspreken of waarschuwing"]


@pytest.mark.parametrize(
    ("lijst", "code", "label", "field", "message"),
    [
        ("locatie_type", "straat", "Nog een straat", "code", "bestaat al"),
        ("locatie_type", "Tram", "Tram", "code", "kleine letters"),
        ("locatie_type", "1tram", "Tram", "code", "begint met een letter"),
        ("kleding", "gedeeltelijk_uniform", "Deels", "code", "hoogstens 10 tekens"),
        ("locatie_type", "tram", "straat", "label", "al in gebruik"),
        ("locatie_type", "tram", "PARK", "label", "al in gebruik"),
        ("locatie_type", "tram", "  ", "label", "Vul een omschrijving"),
        ("locatie_type", "tram", "Tram 06-12345678", "label", "telefoonnummer"),
        ("tijdvak", "ochtend", "Ochtend", "__all__", "afgeleid"),
    ],
)
def test_a_code_that_would_break_stability_is_refused(app, lijst, code, label, field, message):
    with app.app_context():
        with pytest.raises(DomainError) as raised:
            codelists.add_code(lijst, code, label)
        assert any(message in m for m in raised.value.errors[field]), raised.value.errors
        db.session.rollback()
        assert codes.current().versie == BASE
        assert db.session.execute(db.select(db.func.count(CodeboekVersie.versie))).scalar() == BASE


def test_refusals_show_beside_the_field_and_nothing_changes(app, client, login_as):
    login_as(Rol.BEHEERDER)
    response = client.post(
        "/beheer/codelijsten/locatie_type/nieuw", data={"code": "straat", "label": "Straat 2"}
    )
    assert response.status_code == 200
    assert "bestaat al in deze lijst" in response.text
    response = client.post(
        "/beheer/codelijsten/afdoening/waarschuwing/label",
        data={"label": "Aanspreken / waarschuwing"},
    )
    assert "Het label is niet veranderd." in response.text
    assert client.get("/beheer/codelijsten/bestaat_niet/nieuw").status_code == 404
    assert client.get("/beheer/codelijsten/afdoening/bestaat_niet/label").status_code == 404
    with app.app_context():
        assert codes.current().versie == BASE


def test_a_new_conduct_gets_the_next_bit_and_old_masks_keep_their_meaning(app):
    with app.app_context():
        before = {c.code: codes.gedraging_bit(c.code) for c in codes.GEDRAGING.codes}
        codelists.add_code("gedraging", "staren", "Staren")
        after = {c.code: codes.gedraging_bit(c.code) for c in codes.GEDRAGING.codes}
        assert after == {**before, "staren": 1 << len(before)}
        assert codes.mask_to_gedragingen(0b0101) == ["opmerkingen", "geluiden"]


def test_the_dataset_protection_and_publication_follow_a_new_code(app):
    """Lists built once at import (quasi-identifiers) or per build read the current book."""
    with app.app_context():
        codelists.add_code("locatie_type", "tram", "Tram / tramhalte")
        codelists.add_code("gedraging", "staren", "Staren")
        assert ("tram", "Tram / tramhalte") in tuple(LOCATIE_TYPE_QI.levels[0].codes)
        groups = LOCATIE_TYPE_QI.levels[1].recode(pd.DataFrame({"locatie_type": ["tram"]}))
        assert groups.tolist() == ["overig"]
        assert variable_of()["staren"] == "gedraging_staren"
        assert "gedraging_staren" in dataset_rows.incidents().columns
        axes = {b.name: b.axes[0].codes for b in breakdowns()}
        assert "tram" in axes["locatie_type"] and "staren" in axes["gedraging"]


def test_versions_count_up_and_the_change_log_names_the_actor(app, client, login_as):
    login_as(Rol.BEHEERDER)
    _add_tram(client)
    client.post("/beheer/codelijsten/locatie_type/tram/label", data={"label": "Tram of tramhalte"})
    with app.app_context():
        versions = (
            db.session.execute(db.select(CodeboekVersie).order_by(CodeboekVersie.versie))
            .scalars()
            .all()
        )
        assert [(v.versie, v.actor, v.codelijst) for v in versions] == [
            (1, "systeem", None),
            (2, "systeem", "gebiedstype"),
            (3, "beheerder-x", "locatie_type"),
            (4, "beheerder-x", "locatie_type"),
        ]
        assert codes.current()["locatie_type"].label("tram") == "Tram of tramhalte"
        assert db.session.execute(db.select(db.func.count(Incident.id))).scalar() == 0
