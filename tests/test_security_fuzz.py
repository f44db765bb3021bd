"""Hypothesis fuzz test (ASVS 5.1.3/5.1.4): every route, as a role that may use it, gets
random values for every form field on its page and every known query parameter (GET and,
where allowed, POST); no answer may be a server error. Bounded: ``EXAMPLES`` per route."""

import re
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pilot.access import TokenAccess
from pilot.extensions import db
from pilot.models import Dienst, Rol
from tests.conftest import log_in
from tests.factories import make_boa, make_incident
from tests.test_access import EXPECTED, PUBLIC

EXAMPLES = 10
SKIP = {"static", "auth.log_out", "hotspots.serve_leaflet_heat", "dataset.download_dataset"}
QUERY = ["pagina", "van", "tot", "kwartaal", "gemeente", "boa_id", "rol", "cel", "version",
         "fmt", "next", "code", "formaat", "afdoening", "wie", "actie", "entiteit_id"]  # fmt: skip
NASTY = [
    "", "0", "-1", "abc", "0001-01-01", "9999-12-31", "0000-K1", "2025-K9", "2025-K1",
    "1e309", "NaN", "99999999999999999999", "9" * 25, "../../etc/passwd", "<script>x</script>",
    "' OR 1=1 --", "\x00", "ÿ" * 5, "GM0344", "2025-02-30", "24:61", "-0.0", "inf",
]  # fmt: skip
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
ROLE_ORDER = [Rol.COORDINATOR, Rol.BEHEERDER, Rol.EVALUATOR, Rol.MINISTERIE]


def _routes(app) -> list[tuple[str, str]]:
    return sorted({(r.endpoint, r.rule) for r in app.url_map.iter_rules()} - {("static", "")})


def _endpoints() -> list[str]:
    """Routes of the log-in roles; the token API is fuzzed by schemathesis (test_api_schema)."""
    return sorted(e for e in set(EXPECTED) - SKIP if not isinstance(EXPECTED[e], TokenAccess))


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", _endpoints())
def test_no_parameter_value_gives_a_server_error(app, make_user, frozen_clock, endpoint):
    allowed = EXPECTED[endpoint]
    client = app.test_client()
    with app.app_context():
        boa = make_boa("GM0599")
        incident = make_incident(boa, 51.92, 4.48)
        dienst = Dienst(
            gemeente_id=boa.gemeente_id,
            datum=datetime(2025, 9, 12, tzinfo=UTC).date(),
            begintijd=datetime(2025, 9, 12, 21, tzinfo=UTC).time(),
            eindtijd=datetime(2025, 9, 12, 23, tzinfo=UTC).time(),
            duur_minuten=120,
            aantal_uniform=2,
            aantal_burger=0,
            gebied="centrum",
        )
        db.session.add(dienst)
        db.session.commit()
        ids = {"incident_id": incident.id, "dienst_id": dienst.id, "boa_id": boa.id}
    if allowed != PUBLIC:
        rol = next(r for r in ROLE_ORDER if r in allowed)
        log_in(app, client, make_user(rol, "GM0599" if rol is Rol.COORDINATOR else None))
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {
        name: ids.get(name, 999_999) if "int" in type(rule._converters[name]).__name__.lower()
        else {"cbs_code": "GM0599", "fmt": "csv", "formaat": "csv"}.get(name, "x" * 40)
        for name in rule.arguments
    }  # fmt: skip
    url = rule.build(values)[1]
    fields = list(QUERY)
    if "GET" in rule.methods:
        page = client.get(url)
        assert page.status_code < 500, (url, page.status_code)
        if page.mimetype == "text/html":
            fields += re.findall(r'name="([^"]+)"', page.get_data(as_text=True))
    fields = sorted(set(fields) - {"csrf_token"})
    methods = [m for m in ("GET", "POST") if m in rule.methods]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        params=st.dictionaries(st.sampled_from(fields), VALUES, max_size=len(fields)),
        method=st.sampled_from(methods),
    )
    def fuzz(params, method):
        if method == "GET":
            response = client.get(url, query_string=params)
        else:
            response = client.post(url, data=params)
        assert response.status_code < 500, (method, url, params, response.status_code)
        response.close()

    fuzz()
