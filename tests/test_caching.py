"""Caches per data version: the version token changes on every write path (triggers), the
outsider map is built once per publication and reused, and one process's publication is
loaded by another from the database."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import insert

from pilot import clock
from pilot.extensions import db
from pilot.models import Boa, DataChange, Incident, PublicationCache, Rol
from pilot.services import codelists
from pilot.services.disclosure import policy
from tests.factories import gemeente, make_boa, make_incident

NONCE = re.compile(r'nonce="([^"]+)"')
# The log-out form's CSRF token is signed with a timestamp: two requests a second apart differ.
CSRF = re.compile(r'name="csrf_token" value="[^"]+"')


def _token() -> str:
    return db.session.execute(db.select(DataChange.versie)).scalar_one()


def test_every_write_path_renews_the_data_version(app, database_kind):
    with app.app_context():
        if database_kind == "sqlite":
            names = db.session.execute(
                db.text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).scalars()
            assert len([n for n in names if n.endswith("_data_change")]) == 15
        seen = {_token()}
        boa = make_boa("GM0599")
        seen.add(_token())
        incident = make_incident(boa, 51.92, 4.47)  # the ORM
        seen.add(_token())
        incident.afdoening = "grensgeval"
        db.session.commit()
        seen.add(_token())
        values = {c.name: getattr(incident, c.name) for c in Incident.__table__.columns}
        values.pop("id")
        values.update(vingerafdruk="ander", zaaknummer_hmac=None)
        db.session.execute(insert(Incident.__table__), [values])  # a bulk insert (import)
        db.session.commit()
        seen.add(_token())
        db.session.execute(db.delete(Incident))  # a bulk delete (purge)
        db.session.commit()
        seen.add(_token())
        gemeente("GM0599").naam = "Rotterdam!"
        db.session.commit()
        seen.add(_token())
        assert len(seen) == 7


@pytest.mark.usefixtures("frozen_clock")
def test_the_publication_is_shared_through_the_database_and_renewed_on_change(app):
    with app.app_context():
        boa = make_boa("GM0599")
        for i in range(6):
            make_incident(boa, 51.92 + i / 1000, 4.47)
        first = policy.outsider_publication()
        assert policy.outsider_publication() is first  # the process cache
        assert (
            db.session.execute(db.select(db.func.count()).select_from(PublicationCache)).scalar()
            == 1
        )
        policy.forget_process_cache()  # another process: loads it from the database
        loaded = policy.outsider_publication()
        assert loaded is not first and loaded.version == first.version
        assert list(loaded.rows()) == list(first.rows())
        make_incident(boa, 51.93, 4.48)
        renewed = policy.outsider_publication()
        assert renewed.version != first.version


def _six_incidents_and_no_publication(app) -> Boa:
    """Six incidents in Rotterdam, stand-ins allowed, and no publication in this process or
    the database (earlier tests built theirs at the same frozen moment)."""
    app.config["PILOT_PUBLICATION_MAX_AGE"] = 120
    policy.forget_process_cache()
    db.session.execute(db.delete(PublicationCache))
    db.session.commit()
    boa = make_boa("GM0599")
    for i in range(6):
        make_incident(boa, 51.92 + i / 1000, 4.47)
    return boa


def test_while_the_data_keep_changing_a_recent_publication_stands_in_until_too_old(
    app, frozen_clock
):
    with app.app_context():
        boa = _six_incidents_and_no_publication(app)
        first = policy.outsider_publication()
        make_incident(boa, 51.93, 4.48)
        assert policy.publication_key() != first.version
        assert policy.outsider_publication() is first  # no build of the viewer's own
        current = policy.outsider_publication(recent=False)  # what the worker asks for
        assert current.version == policy.publication_key() != first.version
        assert policy.outsider_publication() is current  # the current one, once there
        make_incident(boa, 51.94, 4.48)
        policy.forget_process_cache()  # another process, nothing in memory: the stored one
        loaded = policy.outsider_publication()
        assert loaded is not current and loaded.version == current.version
        with clock.frozen(frozen_clock + timedelta(seconds=121)):
            later = policy.outsider_publication()  # too old to stand in: built anew
            assert later.version == policy.publication_key() != current.version


@pytest.mark.usefixtures("frozen_clock")
def test_a_recent_publication_never_stands_in_for_another_k_or_codebook(app):
    with app.app_context():
        _six_incidents_and_no_publication(app)
        first = policy.outsider_publication()
        app.config["PILOT_SUPPRESSION_K"] = first.k + 1
        other_k = policy.outsider_publication()
        assert other_k.k == first.k + 1 and other_k.version == policy.publication_key()
        codelists.add_code("locatie_type", "strand", "Strand")
        other_book = policy.outsider_publication()
        assert other_book.version == policy.publication_key() != other_k.version
        assert "strand" in other_book.lattices["locatie_type"].axes[2].nodes


@pytest.mark.usefixtures("frozen_clock")
def test_a_code_added_by_the_beheerder_is_a_category_of_the_next_publication(app):
    """Code lists have no data-version triggers: the codebook version is part of the key."""
    with app.app_context():
        boa = make_boa("GM0599")
        for i in range(6):
            make_incident(boa, 51.92 + i / 1000, 4.47)
        token = _token()
        first = policy.outsider_publication()
        codelists.add_code("locatie_type", "strand", "Strand")
        assert _token() == token
        renewed = policy.outsider_publication()
        assert renewed is not first and renewed.version != first.version
        axis = renewed.lattices["locatie_type"].axes[2]
        assert "strand" in axis.nodes
        assert "strand" not in first.lattices["locatie_type"].axes[2].nodes


@pytest.mark.usefixtures("frozen_clock")
def test_a_repeat_outsider_map_view_reuses_the_map(app, client, login_as, boundaries_loaded):
    from pilot.services.hotspots.grid import HotspotFilter
    from pilot.services.hotspots.maps import hotspot_map

    with app.app_context():
        boa = make_boa("GM0599")
        for i in range(12):
            make_incident(boa, 51.92 + i / 2000, 4.47)
        quarter = HotspotFilter(van=date(2025, 7, 1), tot=date(2025, 9, 30))
        viewer = policy.Viewer(Rol.EVALUATOR)
        first = hotspot_map(db.session, viewer, quarter, 500, 5)
        assert hotspot_map(db.session, viewer, quarter, 500, 5) is first
        assert first.cellen
        make_incident(boa, 51.93, 4.48)
        assert hotspot_map(db.session, viewer, quarter, 500, 5) is not first
    login_as(Rol.EVALUATOR)
    url = "/hotspots/kaart?kwartaal=2025-07-01"
    pages = [client.get(url) for _ in range(2)]
    assert pages[0].status_code == 200
    # Equal but for the per-request CSP nonce (which the cached map parts must not carry)
    # and the CSRF token's timestamp.
    for page in pages:
        assert len(set(NONCE.findall(page.text))) == 1, "one nonce per response"
    assert CSRF.sub("", NONCE.sub("", pages[0].text)) == CSRF.sub("", NONCE.sub("", pages[1].text))
