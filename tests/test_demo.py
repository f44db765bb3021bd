"""The demo seed: synthetic, valid, idempotent, and free of anything that looks personal."""

import json
import re
from datetime import time

import pytest
from sqlalchemy import JSON, String, Text, select

from pilot.extensions import db
from pilot.models import Base, Boa, Dienst, Gemeente, Incident, PolitieCijfer
from pilot.services import pii
from pilot.services.incidenten import input_from_incident, validate_batch


def _count(model) -> int:
    return db.session.execute(select(db.func.count(model.id))).scalar_one()


@pytest.mark.slow
def test_demo_seed_is_valid_synthetic_idempotent_and_free_of_personal_data(
    app, runner, frozen_clock
):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "synthetische incidenten toegevoegd" in first.output
    with app.app_context():
        counts = {m: _count(m) for m in (Boa, Dienst, PolitieCijfer, Incident)}
        assert 4500 <= counts[Incident] <= 5100
        assert counts[Dienst] > 500 and counts[PolitieCijfer] > 20
        assert db.session.execute(select(Incident.id).where(~Incident.synthetisch)).first() is None
        per_gemeente = dict(
            db.session.execute(
                select(Gemeente.cbs_code, db.func.count(Boa.id))
                .join(Boa, Boa.gemeente_id == Gemeente.id)
                .group_by(Gemeente.cbs_code)
            ).all()
        )
        assert per_gemeente["GM0599"] == 13 and per_gemeente["GM0344"] == 11
        assert all(
            4 <= n <= 8 for code, n in per_gemeente.items() if code not in {"GM0599", "GM0344"}
        )
        for gemeente in db.session.execute(select(Gemeente)).scalars():
            assert gemeente.heeft_grens
            stored = (
                db.session.execute(select(Incident).where(Incident.gemeente_id == gemeente.id))
                .scalars()
                .all()
            )
            assert stored, gemeente.naam
            errors = validate_batch(gemeente, [input_from_incident(i) for i in stored])
            assert not any(errors), (gemeente.naam, [e for e in errors if e][:3])
        evening_or_night = db.session.execute(
            select(db.func.count(Incident.id)).where(Incident.tijdvak != "dag")
        ).scalar_one()
        assert evening_or_night > 0.6 * counts[Incident]
        area_types = dict(
            db.session.execute(
                select(Dienst.gebiedstype, db.func.count(Dienst.id)).group_by(Dienst.gebiedstype)
            ).all()
        )
        assert set(area_types) == {"uitgaansgebied", "ov_station", "winkelgebied"}
        night_areas = select(Dienst.gebiedstype).where(Dienst.begintijd == time(21)).distinct()
        assert db.session.execute(night_areas).scalars().all() == ["uitgaansgebied"]
        _assert_no_personal_data_in_text_columns()

    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        assert {m: _count(m) for m in counts} == counts


DIGEST_COLUMNS = {
    "vingerafdruk",
    "zaaknummer_hmac",
    "personeelsnummer_hmac",
    "password_hash",
    "payload_hash",
    "vorige_hash",
    "hash",
    "token_hash",
    "code_hash",
    "sleutel",
}
HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
NOT_DIGESTS = {("incident_telling", "sleutel")}  # a code combination, screened as text


def _assert_no_personal_data_in_text_columns() -> None:
    """Every text and JSON column is screened; keyed hashes are checked to be only hashes.

    A 64-character hex digest may contain nine digits that pass the 11-proef by chance; it
    carries no readable data, so digest columns are checked for their shape instead.
    """
    scanned = 0
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if not isinstance(column.type, String | Text | JSON):
                continue
            query = select(column) if isinstance(column.type, JSON) else select(column).distinct()
            for value in db.session.execute(query).scalars():
                if not value:
                    continue
                digest = (
                    column.name in DIGEST_COLUMNS and (table.name, column.name) not in NOT_DIGESTS
                )
                if digest and column.name != "password_hash":
                    assert HEX_DIGEST.fullmatch(value), (table.name, column.name)
                    continue
                if column.name == "password_hash":
                    continue
                text = value if isinstance(value, str) else json.dumps(value)
                found = [k for k in pii.screen(text) if k in {"bsn", "telefoon", "email"}]
                assert not found, (table.name, column.name, found)
                scanned += 1
    assert scanned > 100
