"""Retention: a purge before a quarter boundary removes incident rows, their audit copies
and pending uploads, while every figure outsiders can get stays exactly as it was."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pdfplumber
import pytest

from pilot import codes
from pilot.extensions import db
from pilot.models import AuditEvent, FrozenQuarter, Gemeente, Incident, Rol
from pilot.services.disclosure.lattice import Lattice
from pilot.services.disclosure.publication import build_publication
from pilot.services.errors import DomainError
from pilot.services.imports.uploads import pending_uploads, preview_upload
from pilot.services.incidenten import IncidentInput, validate_batch
from pilot.services.reports.build import build_gemeente_report
from pilot.services.retention.purge import boundaries, plan_purge, purge
from tests.factories import gemeente, make_boa, make_incident
from tests.test_imports import row, write_csv

K = 5
TODAY = date(2025, 11, 15)  # the frozen clock's day: 2025-K3 is the newest completed quarter
SEED = {  # incidents per month (cycled) and points per gemeente
    "GM0599": ([9, 4, 12, 7, 3, 10], [(51.9225, 4.4792), (51.9175, 4.4850), (51.9110, 4.4700),
                                      (51.9225, 4.4792), (51.9050, 4.4900)]),  # one hotter cell
    "GM0344": ([5, 2, 6, 1, 7], [(52.0907, 5.1214), (52.0850, 5.1100), (52.0950, 5.1300)]),
    "GM0202": ([1, 0, 2, 1], [(51.9851, 5.8987), (51.9800, 5.9100)]),  # quarters below k
}  # fmt: skip
MONTHS = [(2024, m) for m in range(7, 13)] + [(2025, m) for m in range(1, 10)]
AFDOENINGEN = [c.code for c in codes.AFDOENING.codes] + ["waarschuwing"] * 3
CYCLES = {  # every code of these lists, in turn
    name: [c.code for c in code_list.codes]
    for name, code_list in (
        ("locatie_type", codes.LOCATIE_TYPE),
        ("kennisname", codes.KENNISNAME),
        ("rol_boa", codes.ROL_BOA),
        ("kleding", codes.KLEDING),
    )
}
GEDRAGINGEN = [
    ("opmerkingen",),
    ("gebaren", "geluiden"),
    ("aanrakingen",),
    ("opmerkingen", "gebaren"),
]
LEEFTIJDEN = ["18_24", "25_39", "onbekend", "40_plus"]


def seed() -> None:
    """About 200 incidents over 2024-K3..2025-K3 with many small cells, some withdrawn,
    some registered late, some without a checked boundary or with a case number."""
    i = 0
    for cbs_code, (per_month, points) in SEED.items():
        boa = make_boa(cbs_code)
        for m, (year, month) in enumerate(MONTHS):
            for n in range(per_month[m % len(per_month)]):
                i += 1
                moment = datetime(year, month, 1 + (i * 7) % 27, (i * 5) % 24, 10, tzinfo=UTC)
                afdoening = AFDOENINGEN[i % len(AFDOENINGEN)]
                make_incident(
                    boa,
                    *points[(i + n) % len(points)],
                    moment,
                    gedragingen=GEDRAGINGEN[i % len(GEDRAGINGEN)],
                    grens_gecontroleerd=i % 11 != 0,
                    afdoening=afdoening,
                    leeftijd_verdachten="onder_18" if afdoening == "reprimande" else
                    LEEFTIJDEN[i % 4],
                    zaaknummer=f"PV-{i}" if i % 4 == 0 else None,
                    aangemaakt_op=moment + timedelta(days=i % 12, hours=1),
                    ingetrokken_op=moment + timedelta(days=2) if i % 17 == 0 else None,
                    commit=False,
                    **{name: values[i % len(values)] for name, values in CYCLES.items()},
                )  # fmt: skip
    db.session.commit()


def _lattice_state(lattice: Lattice) -> tuple:
    offered = lattice.offered
    return (
        [axis.nodes for axis in lattice.axes],
        offered.tolist(),
        lattice.status[offered].tolist(),
        lattice.values[offered].tolist(),
    )


def publication_state(publication) -> dict:
    """Every offered cell's status and value, every map cell as an outsider gets it."""
    state = {"excluded": sorted(publication.excluded), "withheld": sorted(publication.withheld)}
    for name, lattice in publication.lattices.items():
        state[name] = _lattice_state(lattice)
    for cbs_code, lattice in publication.maps.items():
        state[f"kaart {cbs_code}"] = _lattice_state(lattice)
        for quarter in lattice.axes[0].nodes:
            state[f"cellen {cbs_code} {quarter}"] = [
                (x, y, shown.text) for x, y, shown in publication.map_cells(cbs_code, quarter)
            ]
    return state


def _publish():
    gemeenten = db.session.execute(db.select(Gemeente)).scalars().all()
    return build_publication(db.session, gemeenten, K, TODAY)


def _all() -> list[Gemeente]:
    return list(db.session.execute(db.select(Gemeente).order_by(Gemeente.id)).scalars())


def _incidents_before(day: date, cbs_code: str | None = None) -> int:
    query = db.select(db.func.count()).select_from(Incident).where(Incident.lokale_datum < day)
    if cbs_code:
        query = query.where(Incident.gemeente_id == gemeente(cbs_code).id)
    return db.session.execute(query).scalar_one()


@pytest.fixture
def seeded(app, frozen_clock):
    with app.app_context():
        seed()
        yield


def test_purged_quarters_publish_exactly_the_same_figures(seeded, app):
    before = _publish()
    state = publication_state(before)
    purged_quarters = ["2024-K3", "2024-K4"]
    small = sum(
        int(lattice.suppressed()[:, [lattice.axes[1].index(q) for q in purged_quarters]].sum())
        for lattice in before.lattices.values()
    )
    assert small > 20, "the purged quarters must hold suppressed cells for this test to mean much"
    assert ("GM0202", "2024-K3") in before.excluded
    assert before.map_cells("GM0599", "2024-K4"), "the purged quarters must have map cells"

    purge(_all(), date(2025, 1, 1), TODAY)
    assert _incidents_before(date(2025, 1, 1)) == 0
    assert publication_state(_publish()) == state

    purge([gemeente("GM0599")], date(2025, 7, 1), TODAY)
    assert _incidents_before(date(2025, 7, 1), "GM0599") == 0
    assert _incidents_before(date(2025, 7, 1), "GM0344") > 0
    assert publication_state(_publish()) == state


def _legacy_event(incident: Incident) -> AuditEvent:
    """An event as the trail wrote them before: with the incident's place and time."""
    return AuditEvent(
        actor="oud",
        actie="aanmaken",
        entiteit="incident",
        entiteit_id=str(incident.id),
        gemeente_id=incident.gemeente_id,
        details={"lat": incident.lat, "lon": incident.lon, "rd_x": incident.rd_x,
                 "tijdstip": incident.tijdstip.isoformat(), "afdoening": incident.afdoening},
    )  # fmt: skip


def _upload(app, cbs_code: str, tmp_path: Path, user_id: int) -> str:
    boa_code = db.session.execute(
        db.select(Incident.boa_id).where(Incident.gemeente_id == gemeente(cbs_code).id)
    ).first()
    path = write_csv(tmp_path / f"{cbs_code}.csv", [row(f"onbekend-{boa_code}")])
    return preview_upload(gemeente(cbs_code), user_id, path.name, path.read_bytes()).token


def test_no_incident_audit_copy_or_upload_of_the_period_remains(seeded, app, tmp_path, make_user):
    voor = date(2025, 1, 1)
    incidents = db.session.execute(db.select(Incident).order_by(Incident.id)).scalars().all()
    old = [i for i in incidents if i.lokale_datum < voor]
    kept = [i for i in incidents if i.lokale_datum >= voor]
    old[0].afdoening = "grensgeval"  # an edit: an event in today's form (field names)
    kept[0].afdoening = "grensgeval"
    db.session.add_all([_legacy_event(old[1]), _legacy_event(kept[1])])
    db.session.commit()
    old_id, kept_id, edited_id = str(old[1].id), str(kept[1].id), str(kept[0].id)
    secrets = {
        i.id: [repr(i.lat), repr(i.lon), repr(i.rd_x), i.tijdstip.isoformat()[:16]] for i in old
    }
    users = {cbs: make_user(Rol.COORDINATOR, cbs).id for cbs in ("GM0599", "GM0344")}
    uploads = {cbs: _upload(app, cbs, tmp_path, users[cbs]) for cbs in users}

    plan = plan_purge([gemeente("GM0599")], voor, TODAY)
    [rotterdam] = plan.gemeenten
    assert rotterdam.incidenten == _incidents_before(voor, "GM0599") > 0
    assert rotterdam.uploads == 1 and [q.code for q in rotterdam.kwartalen] == [
        "2024-K3",
        "2024-K4",
    ]
    purge([gemeente("GM0599")], voor, TODAY)
    pending = {token for tokens in pending_uploads().values() for token in tokens}
    assert uploads["GM0599"] not in pending and uploads["GM0344"] in pending
    assert _incidents_before(voor, "GM0344") > 0

    purge(_all(), voor, TODAY)
    assert _incidents_before(voor) == 0
    assert pending_uploads() == {}
    events = db.session.execute(db.select(AuditEvent)).scalars().all()
    trail = " ".join(str(e.details) for e in events)
    for incident_id, values in secrets.items():
        for value in values:
            assert value not in trail, (incident_id, value)
    by_id = {(e.entiteit_id, e.actor): e for e in events if e.entiteit == "incident"}
    assert by_id[old_id, "oud"].details == {}
    assert by_id[kept_id, "oud"].details == {}, "an old copy of a kept incident too"
    changed = [e for e in events if e.entiteit_id == edited_id and e.actie == "wijzigen"]
    assert [e.details for e in changed] == [{"velden": ["afdoening"]}], "today's form stays"
    purges = [e for e in events if e.actie == "opschonen"]
    assert len(purges) == 1 + len(_all())
    first = purges[0].details
    assert first["incidenten"] == rotterdam.incidenten and first["uploads"] == 1
    assert first["auditgebeurtenissen"] == 3  # an edit, an old copy of each: purged and kept
    assert first["voor"] == "2025-01-01"
    assert set(first) == {"voor", "kwartalen", "incidenten", "auditgebeurtenissen", "uploads"}
    frozen = db.session.execute(db.select(FrozenQuarter.kwartaal, Gemeente.cbs_code).join(
        Gemeente)).all()  # fmt: skip
    assert ("2024-K3", "GM0599") in frozen and ("2024-K4", "GM0202") in frozen


def test_a_purged_period_takes_no_new_incidents(seeded, app):
    purge([gemeente("GM0599")], date(2025, 1, 1), TODAY)
    boa_id = db.session.execute(
        db.select(Incident.boa_id).where(Incident.gemeente_id == gemeente("GM0599").id)
    ).scalar()
    item = IncidentInput(
        tijdstip=datetime(2024, 12, 20, 21, tzinfo=UTC), lat=51.92, lon=4.48, boa_id=boa_id,
        locatie_type="straat", gedragingen=["opmerkingen"], kennisname="eigen_waarneming",
        kleding="uniform", rol_boa="interventie", afdoening="waarschuwing",
    )  # fmt: skip
    [errors] = validate_batch(gemeente("GM0599"), [item])
    assert errors["tijdstip"] == [
        "De incidentgegevens van Rotterdam van vóór 01-01-2025 zijn verwijderd (bewaartermijn); "
        "een incident van vóór die datum kan niet meer worden geregistreerd."
    ]
    item.tijdstip = datetime(2025, 1, 2, 21, tzinfo=UTC)
    assert "tijdstip" not in validate_batch(gemeente("GM0599"), [item])[0]


def test_only_completed_quarter_boundaries(app, frozen_clock):
    with app.app_context():
        offered = boundaries(_all(), TODAY)
        assert offered[0] == date(2025, 10, 1) and offered[-1] == date(2024, 10, 1)
        for voor, message in (
            (date(2025, 2, 1), "eerste dag van een kwartaal"),
            (date(2026, 1, 1), "Alleen afgesloten kwartalen"),
        ):
            with pytest.raises(DomainError, match=message):
                plan_purge(_all(), voor, TODAY)


def test_purging_the_same_period_twice_changes_nothing(seeded, app):
    state = publication_state(_publish())
    purge(_all(), date(2025, 1, 1), TODAY)
    frozen = db.session.execute(db.select(db.func.count()).select_from(FrozenQuarter)).scalar()
    again = purge(_all(), date(2025, 1, 1), TODAY)
    assert again.totaal("incidenten") == 0 and not any(r.kwartalen for r in again.gemeenten)
    assert (
        db.session.execute(db.select(db.func.count()).select_from(FrozenQuarter)).scalar() == frozen
    )
    assert publication_state(_publish()) == state
    assert np.all(_publish().lattices["afdoening"].values >= 0)


ROW_LABELS = (
    "Incidenten ", "Processen-verbaal ", "Waarschuwingen ", "Overgedragen aan politie ",
    "Maandag ", "Dinsdag ", "Woensdag ", "Donderdag ", "Vrijdag ", "Zaterdag ", "Zondag ",
    "Uniform ", "In burger ", "Laat geregistreerd ", "Leeftijd verdachte(n) onbekend ",
    "Proces-verbaal zonder zaaknummer ", "Locatie niet tegen de gemeentegrens ", "2024-K3 ",
    "2024-K4 ",
)  # fmt: skip


def _report_rows(periode) -> tuple[dict[str, str], str]:
    """The report's table rows (first line starting with each label, the table of contents
    left out), and its whole text."""
    pdf = build_gemeente_report(gemeente("GM0599"), periode).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() or "" for page in document.pages)
    lines = text.splitlines()
    rows = {
        label: next((line for line in lines if line.startswith(label) and "blz." not in line), None)
        for label in ROW_LABELS
    }
    return rows, " ".join(lines)


def test_the_coordinators_report_says_what_comes_from_the_frozen_tables(seeded, app):
    from pilot.models import PolitieCijfer
    from pilot.services.reports.periods import Period

    for month in (8, 10, 11, 12):  # all of 2024-K4, one month of 2024-K3
        db.session.add(
            PolitieCijfer(
                gemeente_id=gemeente("GM0599").id, maand=date(2024, month, 1), meldingen=month
            )
        )
    db.session.commit()
    whole = Period(date(2024, 7, 1), date(2025, 9, 30), "Hele pilotperiode")
    before, text = _report_rows(whole)
    assert None not in before.values() and "Bewaartermijn" not in text
    purge(_all(), date(2025, 1, 1), TODAY)

    after, text = _report_rows(whole)
    assert before["2024-K3 "] != "2024-K3 — — 8 — —"
    assert after.pop("2024-K3 ") == "2024-K3 — — 8 — —", "one month of police: not comparable"
    before.pop("2024-K3 ")
    assert after == before
    assert "De incidentgegevens van Rotterdam van vóór 01-01-2025 zijn verwijderd" in text
    assert "Voor 2024-K3, 2024-K4 komen de aantallen uit die tabellen" in text
    assert "het verloop per maand (de maanden staan op 0) en het aantal ingetrokken" in text

    _, text = _report_rows(Period(date(2024, 8, 15), date(2025, 9, 30), "deels"))
    assert "Voor 2024-K4 komen de aantallen" in text
    assert "2024-K3 valt maar voor een deel in de gekozen periode" in text
    _, text = _report_rows(Period(date(2025, 1, 1), date(2025, 9, 30), "na"))
    assert "Bewaartermijn" not in text


FINGERPRINT = re.compile(r"[0-9a-f]{12,}")  # the report's SHA-256 (it names the data version)


def _outsider_outputs(client) -> dict[str, str]:
    """What an evaluator can download about the purged quarters, fingerprints left out."""
    outputs = {"tabellen.csv": client.get("/rapporten/tabellen.csv").get_data(as_text=True)}
    for quarter in ("2024-07-01", "2024-10-01", "2025-07-01"):
        for fmt in ("csv", "geojson"):
            response = client.get(f"/hotspots/kaart/download/{fmt}?kwartaal={quarter}")
            assert response.status_code == 200, response.status_code
            outputs[f"kaart {quarter}.{fmt}"] = response.get_data(as_text=True)
    for url in (
        "/rapporten/totaal.pdf",
        "/rapporten/gemeente.pdf?gemeente=GM0599&periode=P",
        "/rapporten/gemeente.pdf?gemeente=GM0599&periode=2024",
        "/rapporten/gemeente.pdf?gemeente=GM0344&periode=2024-K4",
        "/rapporten/gemeente.pdf?gemeente=GM0202&periode=2024-K3",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        with pdfplumber.open(io.BytesIO(response.data)) as document:
            text = "\n".join(page.extract_text() or "" for page in document.pages)
        outputs[url] = FINGERPRINT.sub("#", text)
    return outputs


def test_an_evaluator_gets_the_same_reports_maps_and_tables_after_a_purge(
    seeded, app, client, login_as
):
    login_as(Rol.EVALUATOR)
    before = _outsider_outputs(client)
    assert "<5" in before["tabellen.csv"] and before["kaart 2024-07-01.csv"].count("\n") > 3
    purge(_all(), date(2025, 1, 1), TODAY)
    after = _outsider_outputs(client)
    for name, text in before.items():
        assert after[name] == text, name
