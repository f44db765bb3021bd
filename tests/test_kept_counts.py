"""The incident counts kept on write (migration 0043's triggers, ``disclosure/kept.py``)
equal a fresh count of the incident rows after every kind of write: the form's inserts,
edits, withdrawals, an import, a retention purge and pilot dates that start mid-month."""

from datetime import UTC, date, datetime, time

import numpy as np
import pytest

from pilot.extensions import db
from pilot.models import Gemeente, Incident, IncidentTelling
from pilot.quarters import quarters_between
from pilot.services.disclosure.publication import (
    MAP_CELL_M,
    breakdowns,
    count_leaves,
    count_leaves_from_incidents,
)
from pilot.services.imports.service import import_file
from pilot.services.incidenten import withdraw_incident
from pilot.services.retention.frozen import add_frozen
from pilot.services.retention.purge import purge
from tests.factories import gemeente, make_boa
from tests.test_imports import row, write_csv
from tests.test_retention import TODAY, seed

QUARTERS = quarters_between(date(2024, 1, 1), date(2026, 12, 31))  # also the open quarter


def _gemeenten() -> list[Gemeente]:
    return list(db.session.execute(db.select(Gemeente).order_by(Gemeente.id)).scalars())


def assert_kept_equals_fresh() -> int:
    """Compare every leaf, total and map cell; returns the number of incidents counted."""
    gemeenten = _gemeenten()
    kept = count_leaves(db.session, gemeenten, QUARTERS)
    fresh = count_leaves_from_incidents(db.session, gemeenten, QUARTERS)
    np.testing.assert_array_equal(kept.spine, fresh.spine)
    assert kept.leaves.keys() == fresh.leaves.keys()
    for name, leaves in fresh.leaves.items():
        np.testing.assert_array_equal(kept.leaves[name], leaves, err_msg=name)
    assert kept.cells == fresh.cells
    return int(fresh.spine.sum())


def _live() -> list[Incident]:
    query = db.select(Incident).where(Incident.ingetrokken_op.is_(None)).order_by(Incident.id)
    return list(db.session.execute(query).scalars())


@pytest.mark.usefixtures("frozen_clock", "boundaries_loaded")
def test_kept_counts_equal_a_fresh_count_after_every_kind_of_write(app, tmp_path):
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(IncidentTelling.aantal))).scalar() == 0
        seed()  # form-like inserts, some withdrawn at once, late ones, every code
        counted = assert_kept_equals_fresh()
        assert counted > 150

        edited = _live()[:12]  # edits of every counted column
        for i, incident in enumerate(edited):
            incident.afdoening = "proces_verbaal" if i % 2 else "waarschuwing"
            incident.gedragingen = 1 + i % 15
            incident.rd_x += 700 * (i % 3)
            incident.locatie_type = "straat"
            incident.aantal_slachtoffers = i % 2
            incident.slachtofferhulp = i % 4 == 1
            incident.grens_gecontroleerd = i % 3 == 0
            incident.zaaknummer_hmac = None
            if i % 4 == 0:  # to another month and quarter
                incident.lokale_datum = date(2025, 2, 10 + i)
                incident.tijdstip = datetime(2025, 2, 10 + i, 20, tzinfo=UTC)
            incident.opmerking = "alleen een opmerking"  # not counted: no change
        db.session.commit()
        assert assert_kept_equals_fresh() == counted

        for incident in _live()[20:25]:
            withdraw_incident(incident, "dubbel ingevoerd", incident.version)
        assert assert_kept_equals_fresh() == counted - 5

        boa = make_boa("GM0599", code="BOA-0599-KC01")
        rows = [
            row(boa.code, datum=date(2025, 9, d), tijd=time(h, d), afdoening=afdoening)
            for d in range(1, 13)
            for h, afdoening in ((20, "waarschuwing"), (21, "proces_verbaal"))
        ]
        result = import_file(gemeente("GM0599"), write_csv(tmp_path / "i.csv", rows), "i.csv")
        assert result.geschreven == 24
        assert assert_kept_equals_fresh() == counted - 5 + 24

        before = count_leaves(db.session, _gemeenten(), QUARTERS)
        purge(_gemeenten(), date(2025, 1, 1), TODAY)
        assert 0 < assert_kept_equals_fresh() < counted  # the purged incidents left the counts
        # the frozen counts make up for them (test_retention compares whole publications)
        after = count_leaves(db.session, _gemeenten(), QUARTERS)
        add_frozen(db.session, after, _gemeenten(), QUARTERS, breakdowns(), MAP_CELL_M)
        np.testing.assert_array_equal(after.spine, before.spine)
        for name, leaves in before.leaves.items():
            np.testing.assert_array_equal(after.leaves[name], leaves, err_msg=name)

        # a pilot that starts and ends mid-month: those months come from the incident rows
        rotterdam = gemeente("GM0599")
        rotterdam.pilot_start, rotterdam.pilot_eind = date(2025, 2, 14), date(2025, 9, 17)
        db.session.commit()
        assert assert_kept_equals_fresh() > 0
