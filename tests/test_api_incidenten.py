"""API incidents through HTTP with real tokens: the form's rules, Dutch problems per field,
gemeente isolation (404, nothing written), batches once per Idempotency-Key (also when two
arrive at once), If-Match on the version (412/428, also a race), withdraw, cursor pages."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from pilot import clock
from pilot.extensions import db
from pilot.models import ApiIdempotency, AuditEvent, Incident
from pilot.services import incidenten
from tests.api_support import DOMPLEIN_UTRECHT, bearer, incident_body, issue
from tests.factories import make_boa, make_incident

BASE = "/api/v1/gemeenten/GM0599/incidenten"
UTRECHT = "/api/v1/gemeenten/GM0344/incidenten"
pytestmark = pytest.mark.usefixtures("frozen_clock", "boundaries_loaded")


def count(**where) -> int:
    query = db.select(db.func.count(Incident.id))
    for name, value in where.items():
        query = query.where(getattr(Incident, name) == value)
    return db.session.execute(query).scalar_one()


@pytest.fixture
def rotterdam(app):
    """Rotterdam's write token and boa, Utrecht's boa and one Utrecht incident."""
    with app.app_context():
        make_boa("GM0599", code="BOA-R-01")
        utrecht_boa = make_boa("GM0344", code="BOA-U-01")
        utrecht_incident = make_incident(utrecht_boa, **DOMPLEIN_UTRECHT).id
    token_id, secret = issue(app)
    return {"secret": secret, "token_id": token_id, "utrecht_incident": utrecht_incident}


def post(client, secret, body, url=BASE, **headers):
    return client.post(url, json=body, headers=bearer(secret, **headers))


def test_create_stores_through_the_incident_rules_and_answers_etag_and_location(
    app, client, rotterdam
):
    response = post(client, rotterdam["secret"], incident_body("boa-r-01", zaaknummer="PV 1"))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"{BASE}/{body['id']}"
    assert body["boa_code"] == "BOA-R-01"
    assert body["heeft_zaaknummer"] is True and "zaaknummer" not in body
    assert body["tijdvak"] == "avond" and body["lokale_datum"] == "2025-09-12"
    with app.app_context():
        incident = db.session.get(Incident, body["id"])
        assert incident.gemeente.cbs_code == "GM0599" and incident.grens_gecontroleerd
        event = db.session.execute(
            db.select(AuditEvent).where(
                AuditEvent.entiteit == "incident", AuditEvent.entiteit_id == str(body["id"])
            )
        ).scalar_one()
        assert event.actie == "aanmaken" and event.actor == f"api-token {rotterdam['token_id']}"


@pytest.mark.parametrize(
    ("changes", "pointer", "fragment"),
    [
        ({"tijdstip": "2023-09-12T23:30:00+02:00"}, "#/tijdstip", "pilot"),
        ({"tijdstip": "2025-12-12T23:30:00+01:00"}, "#/tijdstip", "toekomst"),
        ({"locatie": DOMPLEIN_UTRECHT}, "#/locatie", "buiten de gemeente Rotterdam"),
        ({"boa_code": "BOA-U-01"}, "#/boa_code", "niet bekend bij Rotterdam"),
        ({"afdoening": "reprimande"}, "#/afdoening", "minderjarigen"),
        ({"opmerking": "Bel 0612345678"}, "#/opmerking", "telefoonnummer"),
        ({"kleding": "pyjama"}, "#/kleding", "Onbekende code"),
        ({"tijdstip": "2025-09-12T23:30:00"}, "#/tijdstip", "tijdzone"),
        ({"aantal_verdachten": "1"}, "#/aantal_verdachten", "geheel getal"),
        ({"gedragingen": []}, "#/gedragingen", "minstens 1"),
        ({"onbekend_veld": 1}, "#/onbekend_veld", "onbekend"),
        ({"locatie": {"lat": 51.9}}, "#/locatie/lon", "verplicht"),
    ],
)
def test_invalid_incident_is_a_problem_with_a_dutch_message_on_its_field(
    app, client, rotterdam, changes, pointer, fragment
):
    response = post(client, rotterdam["secret"], incident_body("BOA-R-01", **changes))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    problem = response.get_json()
    assert problem["status"] == 422 and problem["type"].endswith("#probleem-validatie")
    messages = {e["pointer"]: e["detail"] for e in problem["errors"]}
    assert pointer in messages, messages
    assert fragment.lower() in messages[pointer].lower()
    assert "0612345678" not in response.get_data(as_text=True)
    with app.app_context():
        assert count() == 1  # Utrecht's incident only


def test_body_must_be_json(client, rotterdam):
    secret = rotterdam["secret"]
    wrong_type = client.post(
        BASE, data="x", headers=bearer(secret, **{"Content-Type": "text/plain"})
    )
    assert wrong_type.status_code == 415
    broken = client.post(
        BASE, data="{", headers=bearer(secret, **{"Content-Type": "application/json"})
    )
    assert broken.status_code == 400
    assert broken.get_json()["detail"] == "De body is geen geldige JSON."


def test_a_token_of_rotterdam_neither_reads_nor_writes_utrecht(app, client, rotterdam):
    secret, other = rotterdam["secret"], rotterdam["utrecht_incident"]
    body = incident_body("BOA-U-01", locatie=DOMPLEIN_UTRECHT)
    attempts = [
        client.get(UTRECHT, headers=bearer(secret)),
        client.get(f"{UTRECHT}/{other}", headers=bearer(secret)),
        post(client, secret, body, UTRECHT),
        post(
            client, secret, {"incidenten": [body]}, f"{UTRECHT}/batch", **{"Idempotency-Key": "u"}
        ),
        client.put(f"{UTRECHT}/{other}", json=body, headers=bearer(secret, **{"If-Match": '"1"'})),
        post(client, secret, {"reden": "Zomaar intrekken"}, f"{UTRECHT}/{other}/intrekken"),
        # Utrecht's incident id under Rotterdam's own URL
        client.get(f"{BASE}/{other}", headers=bearer(secret)),
        client.put(f"{BASE}/{other}", json=body, headers=bearer(secret, **{"If-Match": '"1"'})),
        post(client, secret, {"reden": "Zomaar intrekken"}, f"{BASE}/{other}/intrekken"),
        client.get("/api/v1/gemeenten/GM0344/boas", headers=bearer(secret)),
        post(client, secret, {"opleidingsdatum": "2024-06-01"}, "/api/v1/gemeenten/GM0344/boas"),
        client.get("/api/v1/gemeenten/GM0344/diensten", headers=bearer(secret)),
        client.put(
            "/api/v1/gemeenten/GM0344/politiecijfers/2025-09",
            json={"meldingen": 3},
            headers=bearer(secret),
        ),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert all(r.content_type == "application/problem+json" for r in attempts)
    with app.app_context():
        utrecht = db.session.get(Incident, other)
        assert (utrecht.version, utrecht.ingetrokken) == (1, False)
        assert count() == 1


def batch(boa_code: str, n: int, **changes) -> dict:
    items = []
    for i in range(n):
        moment = datetime(2025, 9, 12, 19, 0, tzinfo=UTC) + timedelta(minutes=i)
        items.append(incident_body(boa_code, tijdstip=moment.isoformat(), **changes))
    return {"incidenten": items}


def test_batch_is_written_once_per_idempotency_key(app, client, rotterdam):
    secret, body = rotterdam["secret"], batch("BOA-R-01", 3)
    first = post(client, secret, body, f"{BASE}/batch", **{"Idempotency-Key": "run-1"})
    assert first.status_code == 201, first.get_data(as_text=True)
    ids = [item["id"] for item in first.get_json()["incidenten"]]
    assert first.get_json()["aantal"] == 3 and "Idempotent-Replayed" not in first.headers
    again = post(client, secret, body, f"{BASE}/batch", **{"Idempotency-Key": "run-1"})
    assert again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    other = post(
        client, secret, batch("BOA-R-01", 1), f"{BASE}/batch", **{"Idempotency-Key": "run-1"}
    )
    assert other.status_code == 422
    assert other.get_json()["type"].endswith("#probleem-idempotentie")
    with app.app_context():
        assert count(gemeente_id=db.session.get(Incident, ids[0]).gemeente_id) == 3
        stored = db.session.execute(db.select(ApiIdempotency)).scalar_one()
        assert (stored.sleutel, stored.aantal, stored.token_id) == (
            "run-1",
            3,
            rotterdam["token_id"],
        )
        event = db.session.execute(
            db.select(AuditEvent).where(
                AuditEvent.entiteit == "incident",
                AuditEvent.actor == f"api-token {rotterdam['token_id']}",
            )
        ).scalar_one()
        assert event.details["ids"] == ids and event.details["token"] == rotterdam["token_id"]


def test_batch_ids_come_back_in_the_order_of_the_request(app, client, rotterdam):
    body = batch("BOA-R-01", 25)  # more than one INSERT page
    body["incidenten"].reverse()
    answer = post(client, rotterdam["secret"], body, f"{BASE}/batch", **{"Idempotency-Key": "o"})
    ids = [item["id"] for item in answer.get_json()["incidenten"]]
    with app.app_context():
        stored = [db.session.get(Incident, i).tijdstip for i in ids]
    sent = [datetime.fromisoformat(item["tijdstip"]) for item in body["incidenten"]]
    assert stored == sent


def test_the_key_holds_for_the_gemeente_so_a_new_token_replays_too(app, client, rotterdam):
    body = batch("BOA-R-01", 2)
    post(client, rotterdam["secret"], body, f"{BASE}/batch", **{"Idempotency-Key": "k"})
    _id, rotated = issue(app)
    again = post(client, rotated, body, f"{BASE}/batch", **{"Idempotency-Key": "k"})
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    with app.app_context():
        assert count() == 3


def test_batch_without_key_or_with_an_invalid_item_writes_nothing(app, client, rotterdam):
    secret = rotterdam["secret"]
    missing = post(client, secret, batch("BOA-R-01", 2), f"{BASE}/batch")
    assert missing.status_code == 400
    assert missing.get_json()["errors"][0]["header"] == "Idempotency-Key"
    body = batch("BOA-R-01", 3)
    body["incidenten"][1]["locatie"] = DOMPLEIN_UTRECHT
    body["incidenten"][2]["boa_code"] = "BOA-ONBEKEND"
    invalid = post(client, secret, body, f"{BASE}/batch", **{"Idempotency-Key": "b"})
    assert invalid.status_code == 422
    pointers = [e["pointer"] for e in invalid.get_json()["errors"]]
    assert pointers == ["#/incidenten/1/locatie", "#/incidenten/2/boa_code"]
    assert invalid.get_json()["detail"].startswith("2 incident(en) ongeldig")
    duplicates = batch("BOA-R-01", 2, zaaknummer="PV-7")
    repeated = post(client, secret, duplicates, f"{BASE}/batch", **{"Idempotency-Key": "c"})
    assert [e["pointer"] for e in repeated.get_json()["errors"]] == ["#/incidenten/1/zaaknummer"]
    with app.app_context():
        assert count() == 1
        assert db.session.execute(db.select(ApiIdempotency)).first() is None
    # the key of a refused batch is free: the corrected batch goes through
    fixed = post(client, secret, batch("BOA-R-01", 3), f"{BASE}/batch", **{"Idempotency-Key": "b"})
    assert fixed.status_code == 201


def test_batch_refuses_an_incident_already_stored_or_repeated_as_the_form_does(
    app, client, rotterdam
):
    """Without a case number an incident is known by moment, place, boa and conduct: a
    second copy (stored before, or earlier in the batch) is an error on its item, not a 500
    from the database's unique index."""
    secret = rotterdam["secret"]
    first = post(client, secret, batch("BOA-R-01", 2), f"{BASE}/batch", **{"Idempotency-Key": "a"})
    assert first.status_code == 201
    body = batch("BOA-R-01", 3)  # items 0 and 1 are the ones stored above
    body["incidenten"].append(dict(body["incidenten"][2]))
    again = post(client, secret, body, f"{BASE}/batch", **{"Idempotency-Key": "b"})
    assert again.status_code == 422, again.get_data(as_text=True)
    errors = again.get_json()["errors"]
    assert [e["pointer"] for e in errors] == [
        "#/incidenten/0/tijdstip",
        "#/incidenten/1/tijdstip",
        "#/incidenten/3/tijdstip",
    ]
    assert "al geregistreerd" in errors[0]["detail"]
    assert "eerder in deze reeks" in errors[2]["detail"]
    with app.app_context():
        assert count() == 3  # Utrecht's incident and the first batch


def test_two_batches_with_the_same_incidents_at_once_write_them_once(app, rotterdam):
    """Two keys, one set of incidents, at the same moment: one batch is written, the other
    gets the duplicate errors (the unique index decides, the rules explain)."""
    body = batch("BOA-R-01", 20)
    barrier = threading.Barrier(2)
    answers: list = []

    def send(key: str):
        client = app.test_client()
        barrier.wait()
        with clock.frozen(datetime(2025, 11, 15, 11, 0, tzinfo=UTC)):
            answers.append(
                post(client, rotterdam["secret"], body, f"{BASE}/batch", **{"Idempotency-Key": key})
            )

    threads = [threading.Thread(target=send, args=(key,)) for key in ("x", "y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [201, 422]
    refused = next(a for a in answers if a.status_code == 422).get_json()
    assert len(refused["errors"]) == 20 and "al geregistreerd" in refused["errors"][0]["detail"]
    with app.app_context():
        assert count() == 21


def test_two_requests_with_one_key_at_the_same_moment_write_one_batch(app, rotterdam):
    body = batch("BOA-R-01", 20)
    barrier = threading.Barrier(2)
    answers: list = []

    def send():
        client = app.test_client()
        barrier.wait()
        with clock.frozen(datetime(2025, 11, 15, 11, 0, tzinfo=UTC)):
            answers.append(
                post(client, rotterdam["secret"], body, f"{BASE}/batch", **{"Idempotency-Key": "z"})
            )

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].get_json() == answers[1].get_json()
    assert sorted(a.headers.get("Idempotent-Replayed", "") for a in answers) == ["", "true"]
    with app.app_context():
        assert count() == 21


def test_update_needs_the_current_version_in_if_match(app, client, rotterdam):
    secret = rotterdam["secret"]
    created = post(client, secret, incident_body("BOA-R-01")).get_json()
    url = f"{BASE}/{created['id']}"
    changed = incident_body("BOA-R-01", afdoening="grensgeval")
    assert client.put(url, json=changed, headers=bearer(secret)).status_code == 428
    ok = client.put(url, json=changed, headers=bearer(secret, **{"If-Match": '"1"'}))
    assert ok.status_code == 200 and ok.headers["ETag"] == '"2"'
    assert ok.get_json()["afdoening"] == "grensgeval"
    stale = client.put(url, json=changed, headers=bearer(secret, **{"If-Match": '"1"'}))
    assert stale.status_code == 412
    assert stale.get_json()["huidige_versie"] == 2
    assert client.get(url, headers=bearer(secret)).headers["ETag"] == '"2"'
    with app.app_context():
        assert db.session.get(Incident, created["id"]).version == 2


def test_a_change_committed_between_read_and_write_is_a_412(app, client, rotterdam, monkeypatch):
    """The service's version check at commit (optimistic locking), not only the header:
    another session commits a change just before the real update runs."""
    secret = rotterdam["secret"]
    created = post(client, secret, incident_body("BOA-R-01")).get_json()
    original = incidenten.update_incident

    def slower(gemeente, incident, item, expected_version):
        with app.app_context():  # another session changes the row first
            other = db.session.get(Incident, incident.id)
            other.aantal_slachtoffers = 3
            db.session.commit()
        return original(gemeente, incident, item, expected_version)

    monkeypatch.setattr(incidenten, "update_incident", slower)
    response = client.put(
        f"{BASE}/{created['id']}",
        json=incident_body("BOA-R-01", afdoening="grensgeval"),
        headers=bearer(secret, **{"If-Match": '"1"'}),
    )
    assert response.status_code == 412
    assert response.get_json()["huidige_versie"] == 2
    with app.app_context():
        stored = db.session.get(Incident, created["id"])
        assert (stored.afdoening, stored.aantal_slachtoffers) == ("waarschuwing", 3)


def test_withdraw_with_a_reason_then_no_more_changes(app, client, rotterdam):
    secret = rotterdam["secret"]
    created = post(client, secret, incident_body("BOA-R-01")).get_json()
    url = f"{BASE}/{created['id']}"
    short = post(client, secret, {"reden": "nee"}, f"{url}/intrekken")
    assert short.status_code == 422 and short.get_json()["errors"][0]["pointer"] == "#/reden"
    stale = post(
        client, secret, {"reden": "Dubbel ingevoerd"}, f"{url}/intrekken", **{"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    done = post(client, secret, {"reden": "Dubbel ingevoerd"}, f"{url}/intrekken")
    assert done.status_code == 200 and done.get_json()["ingetrokken"] is True
    again = post(client, secret, {"reden": "Dubbel ingevoerd"}, f"{url}/intrekken")
    assert again.status_code == 422 and "al ingetrokken" in again.get_json()["errors"][0]["detail"]
    edit = client.put(
        url, json=incident_body("BOA-R-01"), headers=bearer(secret, **{"If-Match": '"2"'})
    )
    assert edit.status_code == 422
    listed = client.get(BASE, headers=bearer(secret)).get_json()["incidenten"]
    assert listed == []
    with_withdrawn = client.get(f"{BASE}?met_ingetrokken=true", headers=bearer(secret)).get_json()
    assert [i["id"] for i in with_withdrawn["incidenten"]] == [created["id"]]


def test_list_pages_with_a_cursor_newest_first_and_filters(app, client, rotterdam):
    secret = rotterdam["secret"]
    body = batch("BOA-R-01", 7)
    body["incidenten"][0]["afdoening"] = "grensgeval"
    post(client, secret, body, f"{BASE}/batch", **{"Idempotency-Key": "lijst"})
    seen, url, pages = [], f"{BASE}?limit=3", 0
    while url:
        response = client.get(url, headers=bearer(secret))
        assert response.status_code == 200
        page = response.get_json()
        seen += [(i["tijdstip"], i["id"]) for i in page["incidenten"]]
        pages += 1
        if page["volgende"]:
            assert response.headers["Link"].endswith('>; rel="next"')
            url = response.headers["Link"][1:].split(">;")[0]
        else:
            url = None
    assert pages == 3 and len(seen) == 7 == len(set(seen))
    assert seen == sorted(seen, reverse=True)
    filtered = client.get(f"{BASE}?afdoening=grensgeval", headers=bearer(secret)).get_json()
    assert [i["afdoening"] for i in filtered["incidenten"]] == ["grensgeval"]
    assert (
        client.get(f"{BASE}?boa_code=BOA-U-01", headers=bearer(secret)).get_json()["incidenten"]
        == []
    )
    bad = client.get(f"{BASE}?cursor=nonsense", headers=bearer(secret))
    assert bad.status_code == 422 and bad.get_json()["errors"][0]["parameter"] == "cursor"
    unknown = client.get(f"{BASE}?gedraging=fluiten", headers=bearer(secret))
    assert unknown.status_code == 422
    assert client.get(f"{BASE}?limit=0", headers=bearer(secret)).status_code == 422
