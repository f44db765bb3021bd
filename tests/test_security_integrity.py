"""Integrity under concurrency (ASVS 1.11.3, 11.1.x) and the tamper-evident audit trail
(ASVS 7.3.x), on SQLite and PostgreSQL: two simultaneous confirms of one import write
every row once; the database refuses a second copy of an incident; migration 0011 resolves
old duplicates; the audit hash chain detects changes and survives the retention purge."""

import io
import threading
from datetime import UTC, date, datetime

import flask
import pytest
from flask_migrate import upgrade
from sqlalchemy import MetaData, Table, insert, text
from sqlalchemy.exc import IntegrityError

from pilot import audit, clock, codes, create_app
from pilot.audit_chain import verify
from pilot.extensions import db
from pilot.models import AuditEvent, Boa, Dienst, Gemeente, Incident, Rol
from pilot.services import incidenten
from pilot.services.errors import DomainError
from tests.conftest import log_in
from tests.factories import gemeente, make_boa, make_incident
from tests.test_imports import row, write_csv

ROWS = 300


def _simultaneously(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each call did
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_two_simultaneous_confirms_write_every_row_once(
    app, make_user, boundaries_loaded, tmp_path
):
    with app.app_context():
        code = make_boa("GM0599", code="BOA-0599-CC01").code
    rows = [row(code, tijd=f"{h:02d}:{m:02d}") for h in range(20) for m in range(15)][:ROWS]
    path = write_csv(tmp_path / "dubbel.csv", rows)
    user = make_user(Rol.COORDINATOR, "GM0599")
    first, second = app.test_client(), app.test_client()
    log_in(app, first, user)
    log_in(app, second, user)
    response = first.post(
        "/gemeente/GM0599/importeren/",
        data={"bestand": (io.BytesIO(path.read_bytes()), "dubbel.csv")},
        content_type="multipart/form-data",
    )
    confirm = response.headers["Location"] + "/bevestigen"
    results = _simultaneously(lambda: first.post(confirm), lambda: second.post(confirm))
    assert [r.status_code for r in results] == [302, 302], results
    messages = [
        client.get("/gemeente/GM0599/importeren/").get_data(as_text=True)
        for client in (first, second)
    ]
    assert sum("Import van dubbel.csv voltooid" in m for m in messages) == 1
    assert sum("al verwerkt" in m for m in messages) == 1
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Incident.id))).scalar_one() == ROWS
    later = first.post(confirm)
    assert "al verwerkt" in first.get(later.headers["Location"]).get_data(as_text=True)


def _item(boa_id: int, zaaknummer: str | None) -> incidenten.IncidentInput:
    return incidenten.IncidentInput(
        tijdstip=datetime(2025, 9, 12, 19, 30, tzinfo=UTC),
        lat=51.9225,
        lon=4.47917,
        boa_id=boa_id,
        gedragingen=["opmerkingen"],
        locatie_type="straat",
        kennisname="eigen_waarneming",
        kleding="uniform",
        rol_boa="interventie",
        afdoening="waarschuwing",
        aantal_verdachten=1,
        leeftijd_verdachten="18_24",
        aantal_slachtoffers=1,
        slachtofferhulp=False,
        zaaknummer=zaaknummer,
    )


@pytest.mark.parametrize("zaaknummer", ["PL1700-2025123456", None])
def test_the_same_incident_stored_twice_at_once_is_stored_once(
    app, boundaries_loaded, frozen_clock, zaaknummer
):
    with app.app_context():
        boa_id = make_boa("GM0599").id

    def store():
        with app.app_context():
            return incidenten.create_incident(gemeente("GM0599"), _item(boa_id, zaaknummer)).id

    results = _simultaneously(store, store)
    assert sum(isinstance(r, int) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(Incident.id))).scalar_one() == 1


def test_database_refuses_a_duplicate_even_without_the_service(app, frozen_clock):
    with app.app_context():
        boa = make_boa("GM0599")
        first = make_incident(boa, 51.92, 4.48)
        values = {c.name: getattr(first, c.name) for c in Incident.__table__.columns}
        values.pop("id")
        with pytest.raises(IntegrityError):
            db.session.execute(insert(Incident.__table__).values(**values))
        db.session.rollback()
        first.ingetrokken_op = datetime(2025, 10, 1, tzinfo=UTC)
        first.intrek_reden = "dubbel"
        db.session.commit()
        db.session.execute(insert(Incident.__table__).values(**values))  # withdrawn: allowed
        db.session.commit()


def test_migration_0011_resolves_existing_duplicates(make_database_url, test_config):
    url = make_database_url("duplicaten")
    app = create_app({**test_config, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0010")
        # the schema of 0010, not the models (later migrations add columns to gemeente)
        table = Table("gemeente", MetaData(), autoload_with=db.session.connection())
        rotterdam = Gemeente(
            id=1, cbs_code="GM0599", naam="Rotterdam", provincie="Zuid-Holland", tranche=1,
            pilot_start=date(2024, 7, 1), pilot_eind=None,
        )  # fmt: skip
        db.session.execute(
            insert(table).values(**{c.name: getattr(rotterdam, c.name) for c in table.columns})
        )
        boa = Boa(gemeente_id=1, code="BOA-0599-T000", actief=True,
                  opleidingsdatum=date(2024, 6, 1), mandaat_start=date(2024, 6, 15))  # fmt: skip
        db.session.add(boa)
        db.session.flush()
        flask.g._codeboek = codes.SEED_BOOK  # 0010 has no code store; version 1 is the seed
        # the incident table of 0010 too (later migrations add columns to it)
        incident = Table("incident", MetaData(), autoload_with=db.session.connection())

        def at_0010(values: dict) -> dict:
            defaults = {"synthetisch": False, "version": 1, "aangemaakt_op": clock.now(),
                        "gewijzigd_op": clock.now()}  # fmt: skip
            merged = {**defaults, **values}
            return {c.name: merged[c.name] for c in incident.columns if c.name in merged}

        values = incidenten.row_values(rotterdam, _item(boa.id, None), False)
        for _ in range(3):
            db.session.execute(insert(incident).values(**at_0010(values)))
        with_case = incidenten.row_values(rotterdam, _item(boa.id, "PV-1"), False)
        for minute in (31, 32):
            moved = {**with_case, "vingerafdruk": f"{minute:064d}"}
            db.session.execute(insert(incident).values(**at_0010(moved)))
        db.session.commit()
        upgrade()
        codes.forget_current()
        live = db.session.execute(
            db.select(Incident.id, Incident.zaaknummer_hmac).where(
                Incident.ingetrokken_op.is_(None)
            )
        ).all()
        assert len(live) == 2 and sum(h is not None for _i, h in live) == 1
        resolved = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actor == "migratie")
        ).scalars()
        assert len(list(resolved)) == 3
        assert verify(db.session.connection()).intact
        db.session.remove()
        db.engine.dispose()


# --- audit trail -------------------------------------------------------------------------


def _events(app, count: int = 3) -> list[int]:
    with app.app_context():
        make_boa("GM0599")
        for n in range(count):
            audit.record("export", "dataset", str(n), formaat="csv")
        db.session.commit()
        return list(db.session.execute(db.select(AuditEvent.id).order_by(AuditEvent.id)).scalars())


def test_chain_verifies_and_detects_a_changed_or_removed_event(app, runner, database_kind):
    ids = _events(app)
    result = runner.invoke(args=["audittrail", "verify"])
    assert result.exit_code == 0 and "intact" in result.output
    if database_kind == "postgresql":
        with app.app_context(), pytest.raises(Exception, match="alleen toevoegen"):
            db.session.execute(
                text("UPDATE audit_event SET actor = 'x' WHERE id = :i"), {"i": ids[1]}
            )
            db.session.commit()
        with app.app_context(), pytest.raises(Exception, match="alleen toevoegen"):
            db.session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": ids[1]})
            db.session.commit()
        return
    with app.app_context():
        db.session.execute(
            text('UPDATE audit_event SET details = \'{"formaat": "pdf"}\' WHERE id = :i'),
            {"i": ids[1]},
        )
        db.session.commit()
    result = runner.invoke(args=["audittrail", "verify"])
    assert result.exit_code == 1 and "NIET intact bij gebeurtenis 2" in result.output
    with app.app_context():
        db.session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": ids[1]})
        db.session.commit()
        assert "ontbreekt" in verify(db.session.connection()).reden


def test_two_transactions_that_start_with_an_audit_event_take_different_numbers(app):
    """The chain is locked before its last event is read: the second writer waits for the
    first to commit instead of numbering its event the same (on SQLite a read alone starts
    no transaction, so the lock is a write)."""
    flushed, release = threading.Event(), threading.Event()

    def first():
        with app.app_context():
            audit.record("export", "dataset", "1", formaat="csv")
            db.session.flush()  # the chain stays locked until the commit
            flushed.set()
            release.wait(30)
            db.session.commit()

    def second():
        flushed.wait(30)
        threading.Timer(0.5, release.set).start()  # by then the second writer is waiting
        with app.app_context():
            audit.record("export", "dataset", "2", formaat="csv")
            db.session.commit()

    assert _simultaneously(first, second) == [None, None]
    with app.app_context():
        numbers = db.session.execute(
            db.select(AuditEvent.entiteit_id, AuditEvent.volgnummer)
            .where(AuditEvent.entiteit == "dataset")
            .order_by(AuditEvent.volgnummer)
        ).all()
        assert [n.entiteit_id for n in numbers] == ["1", "2"]
        assert numbers[1].volgnummer == numbers[0].volgnummer + 1
        assert verify(db.session.connection()).intact


def test_retention_purge_clears_payloads_and_the_chain_still_verifies(app, runner):
    ids = _events(app)
    with app.app_context():
        assert audit.clear_payload(ids[1:3]) == 2
        db.session.commit()
        purged = db.session.get(AuditEvent, ids[1])
        assert purged.details == {} and purged.payload_gewist_op is not None
        result = verify(db.session.connection())
    assert result.intact and result.gewist == 2
    assert "gewist" in runner.invoke(args=["audittrail", "verify"]).output


def test_beheer_screen_searches_the_trail_with_pages_and_shows_the_check(app, client, login_as):
    login_as(Rol.BEHEERDER)
    _events(app, count=45)
    page = client.get("/beheer/audittrail").get_data(as_text=True)
    assert "Audittrail intact" in page and "Pagina 1 van" in page
    found = client.get("/beheer/audittrail?actie=export&entiteit_id=7").get_data(as_text=True)
    assert found.count("<tr><td>") == 1
    nothing = client.get("/beheer/audittrail?van=2001-01-01&tot=2001-01-02")
    assert "Geen gebeurtenissen gevonden." in nothing.get_data(as_text=True)
    assert client.get("/beheer/audittrail?van=0001-01-01&tot=9999-12-31").status_code == 200


def test_free_text_is_not_copied_into_the_trail(app, frozen_clock):
    with app.app_context():
        dienst = Dienst(
            gemeente_id=gemeente("GM0599").id,
            datum=datetime(2025, 9, 12, tzinfo=UTC).date(),
            begintijd=datetime(2025, 9, 12, 21, tzinfo=UTC).time(),
            eindtijd=datetime(2025, 9, 12, 23, tzinfo=UTC).time(),
            duur_minuten=120,
            aantal_uniform=2,
            aantal_burger=0,
            gebied="bij Jan de Vries 0612345678",
        )
        db.session.add(dienst)
        db.session.commit()
        dienst.gebied = "Piet Jansen"
        db.session.commit()
        details = [str(d) for d in db.session.execute(db.select(AuditEvent.details)).scalars()]
    assert not any("Vries" in d or "0612345678" in d or "Jansen" in d for d in details)
    assert any("gewijzigd" in d for d in details)
