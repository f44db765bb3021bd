"""PDF reports, suppression, fingerprint, access and the CLI (reports read back from PDF)."""

import io
import re
from datetime import UTC, date, datetime, time, timedelta

import pdfplumber
import pytest
from pypdf import PdfReader

from pilot import clock
from pilot.extensions import db
from pilot.models import AuditEvent, Dienst, Incident, PolitieCijfer, Rol
from pilot.services.disclosure import policy
from pilot.services.disclosure.labels import Formatter, Shown
from pilot.services.disclosure.lattice import Status
from pilot.services.reports import build, figures
from pilot.services.reports.fingerprint import report_fingerprint
from pilot.services.reports.periods import Period, choose_period, quarter_period
from tests.factories import gemeente, make_boa, make_incident

ROTTERDAM = (51.92417, 4.48687)
UTRECHT = (52.08177, 5.09858)
PERIODE = Period(date(2024, 7, 1), date(2026, 6, 30), "Hele pilotperiode")
K = 5
AFTER_THE_PILOT = datetime(2026, 12, 1, 12, tzinfo=UTC)  # every pilot quarter completed


def _incident(boa, point, n: int, **fields):
    tijdstip = fields.pop("tijdstip", None) or datetime(2025, 1 + n % 12, 1 + n, 20, 15, tzinfo=UTC)
    lat, lon = point
    with clock.frozen(tijdstip + timedelta(hours=1)):  # registered an hour later
        return make_incident(boa, lat + n * 0.001, lon + n * 0.0015, tijdstip=tijdstip, **fields)


@pytest.fixture
def report_data(app, boundaries_loaded):
    """Rotterdam: 12 incidents (3 pv, 6 warnings, 2 hand-overs), one withdrawn, one late;
    three shifts (28 inzeturen) and two months of police figures. Utrecht: 7 incidents."""
    with app.app_context():
        boa1, boa2 = make_boa("GM0599"), make_boa("GM0599")
        outcomes = ["waarschuwing"] * 6 + ["proces_verbaal"] * 3 + ["overgedragen_politie"] * 2
        outcomes += ["grensgeval"]
        for n, afdoening in enumerate(outcomes):
            _incident(
                boa1 if n % 3 else boa2,
                ROTTERDAM,
                n,
                afdoening=afdoening,
                kleding="burger" if n % 3 == 0 else "uniform",
                gedragingen=("opmerkingen", "gebaren") if n < 2 else ("opmerkingen",),
            )
        withdrawn = _incident(boa1, ROTTERDAM, 20, afdoening="proces_verbaal")
        withdrawn.ingetrokken_op = datetime(2025, 10, 1, tzinfo=UTC)
        late = _incident(boa1, ROTTERDAM, 21, afdoening="waarschuwing")
        late.aangemaakt_op = late.tijdstip + timedelta(days=10)
        rotterdam = gemeente("GM0599")
        for minutes, uniform, burger in ((240, 2, 1), (180, 1, 1), (300, 2, 0)):
            db.session.add(
                Dienst(
                    gemeente_id=rotterdam.id, datum=date(2025, 3, 1), begintijd=time(20),
                    eindtijd=time(23), duur_minuten=minutes, gebied="centrum",
                    aantal_uniform=uniform, aantal_burger=burger,
                )
            )  # fmt: skip
        for month, meldingen, aangiftes, pv in ((1, 17, 12, 9), (2, 23, None, 6)):
            db.session.add(
                PolitieCijfer(
                    gemeente_id=rotterdam.id, maand=date(2025, month, 1), meldingen=meldingen,
                    aangiftes=aangiftes, processen_verbaal=pv,
                )
            )  # fmt: skip
        db.session.commit()
        boa3 = make_boa("GM0344")
        for n, afdoening in enumerate(["waarschuwing"] * 4 + ["proces_verbaal"] * 3):
            _incident(boa3, UTRECHT, n, afdoening=afdoening)


@pytest.fixture
def outsider_data(app, boundaries_loaded):
    """Quarters with enough incidents for outsider figures (a gemeente-quarter below k is
    left out of them entirely). Rotterdam 2025-K1: 13 incidents (7 warnings, 3 pv, 2
    hand-overs, 1 grensgeval), 2025-K2: 6 warnings. Utrecht 2025-K1: 7 (4 warnings, 3 pv);
    2025-K2: 2 incidents, left out. The clock stands after the pilot."""
    with app.app_context():
        rotterdam, utrecht = make_boa("GM0599"), make_boa("GM0344")
        k1 = ["waarschuwing"] * 7 + ["proces_verbaal"] * 3 + ["overgedragen_politie"] * 2
        for n, afdoening in enumerate([*k1, "grensgeval"]):
            moment = datetime(2025, 1 + n % 3, 2 + n, 21, tzinfo=UTC)
            _incident(rotterdam, ROTTERDAM, n, tijdstip=moment, afdoening=afdoening)
        for n in range(6):
            moment = datetime(2025, 4 + n % 3, 3 + n, 22, tzinfo=UTC)
            _incident(rotterdam, ROTTERDAM, 30 + n, tijdstip=moment, afdoening="waarschuwing")
        for n, afdoening in enumerate(["waarschuwing"] * 4 + ["proces_verbaal"] * 3):
            moment = datetime(2025, 1 + n % 3, 4 + n, 20, tzinfo=UTC)
            _incident(utrecht, UTRECHT, n, tijdstip=moment, afdoening=afdoening)
        for n in range(2):
            moment = datetime(2025, 5, 10 + n, 20, tzinfo=UTC)
            _incident(utrecht, UTRECHT, 10 + n, tijdstip=moment, afdoening="waarschuwing")
    with clock.frozen(AFTER_THE_PILOT):
        yield


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def _figure(text: str, label: str) -> str:
    match = re.search(rf"^{re.escape(label)} (\S+)$", text, re.MULTILINE)
    assert match, f"{label} niet gevonden"
    return match[1]


ALLOWED = (
    r"\d{2}-\d{2}-\d{4}(?: \d{2}:\d{2})?",  # dates and moments
    r"Pagina \d+ van \d+",
    r"blz\. \d+",
    r"Tranche \d+",
    r"\d{4}-K\d",
    r"\d+ van \d+\s+maanden",  # police-figure coverage: months, not people
)


def small_counts(text: str, k: int = K) -> list[int]:
    """Every stand-alone whole number in 1..k-1 outside dates, page numbers and tranches."""
    for pattern in ALLOWED:
        text = re.sub(pattern, " ", text)
    numbers = re.findall(r"(?<![\w.,:\-<])(\d+)(?![\w.,:\-])", text)
    return [int(n) for n in numbers if 0 < int(n) < k]


def _get_pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return response.data


@pytest.mark.slow
def test_coordinator_report_key_figures_match_the_seeded_data(client, login_as, report_data):
    """The expected figures are counted by hand from ``report_data``: 14 Rotterdam rows, one
    withdrawn; 28 inzeturen = 4 h x 3 boa's + 3 h x 2 + 5 h x 2."""
    login_as(Rol.COORDINATOR, "GM0599")
    text = _text(_get_pdf(client, "/rapporten/gemeente.pdf?gemeente=GM0599"))
    expected = {
        "Incidenten": "13",
        "Processen-verbaal": "3",
        "Waarschuwingen": "7",  # six plus the late one
        "Overgedragen aan politie": "2",
        "Bevoegde boa’s": "2",  # both registered boa's are trained and mandated
        "Diensten": "3",
        "Inzeturen": "28,0",
        "Incidenten per 100 inzeturen": "46,4",  # 13 / 28 x 100
        "Processen-verbaal per 100 inzeturen": "10,7",  # 3 / 28 x 100
    }
    for label, value in expected.items():
        assert _figure(text, label) == value, label
    assert "Ingetrokken registraties (niet meegeteld) 1" in text
    assert _figure(text, "Laat geregistreerd (meer dan zeven dagen na het incident)") == "1"
    assert "Politie (art. 429ter) 40 12 15" in text
    assert small_counts(text), "an exact report with small counts must show them"


@pytest.mark.slow
def test_report_is_pdf_ua_in_dutch_with_embedded_fonts(client, login_as, outsider_data):
    login_as(Rol.EVALUATOR)
    reader = PdfReader(io.BytesIO(_get_pdf(client, "/rapporten/gemeente.pdf?gemeente=GM0599")))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nl"
    assert bool(root["/MarkInfo"]["/Marked"])
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(>|=\")1", xmp)
    assert "Rapportage pilot 429ter — Rotterdam" in reader.metadata.title
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            fonts.append((font["/BaseFont"], descriptor.get_object()))
    assert fonts
    assert any("DejaVu-Sans" in name for name, _ in fonts)
    for name, descriptor in fonts:
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, name


@pytest.mark.slow
def test_outputs_outside_the_gemeente_contain_no_count_below_k(client, login_as, outsider_data):
    login_as(Rol.EVALUATOR)
    texts = {
        period: _text(_get_pdf(client, f"/rapporten/gemeente.pdf?gemeente=GM0599&periode={period}"))
        for period in ("P", "2025", "2025-K1", "2025-K2")
    }
    totaal_text = _text(_get_pdf(client, "/rapporten/totaal.pdf"))
    for text in (*texts.values(), totaal_text):
        assert small_counts(text) == []
        assert "<5" in text
    assert _figure(texts["P"], "Incidenten") == "19"  # totals stay exact (13 + 6)
    assert _figure(texts["2025-K1"], "Incidenten") == "13"
    assert _figure(texts["2025-K1"], "Processen-verbaal") == "<5"
    assert _figure(texts["2025-K2"], "Processen-verbaal") == "0"
    # incidents, pv, warnings, hand-overs, authorised boa's (1 boa: <5)
    assert re.search(r"^Rotterdam 19 <5 \S+ <5 <5$", totaal_text, re.MULTILINE)
    # Utrecht's 2025-K2 (2 incidents) is left out of every outsider figure: only K1 counts
    assert re.search(r"^Utrecht 7 \S+ \S+ 0 <5$", totaal_text, re.MULTILINE)
    utrecht_k2 = _text(_get_pdf(client, "/rapporten/gemeente.pdf?gemeente=GM0344&periode=2025-K2"))
    assert _figure(utrecht_k2, "Incidenten") == "<5"


@pytest.mark.slow
def test_the_csv_holds_exactly_what_the_pdfs_show(client, login_as, outsider_data):
    login_as(Rol.MINISTERIE)
    response = client.get("/rapporten/tabellen.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = [line.split(";") for line in response.get_data(as_text=True).splitlines()]
    assert rows[0] == ["tabel", "eenheid", "periode", "codes", "waarde"]
    values = {tuple(row[:4]): row[4] for row in rows[1:]}

    def afdoening(unit, code):
        codes = f"afdoening={code}|kleding=ALL|leeftijd=ALL|aanraking=ALL"
        return values[("afdoening", unit, "P", codes)]

    assert afdoening("GM0599", "ALL") == "19"
    assert afdoening("GM0599", "proces_verbaal") == "<5"
    assert values[("incidenten", "GM0344", "2025-K2", "")] == "<5"
    assert all(not v.isdigit() or int(v) == 0 or int(v) >= K for v in values.values())
    totaal_text = _text(_get_pdf(client, "/rapporten/totaal.pdf"))
    nl = [afdoening("NL", code) for code in
          ("ALL", "proces_verbaal", "waarschuwing", "overgedragen_politie")]  # fmt: skip
    nl.append(values[("boas", "NL", "P", "boas=bevoegd")])
    assert re.search(rf"^Totaal {' '.join(map(re.escape, nl))}$", totaal_text, re.MULTILINE)


def test_same_data_gives_the_same_figures_and_fingerprint(app, report_data):
    with app.app_context():
        ids = [gemeente("GM0599").id]
        first = figures.count_figures(ids, PERIODE)
        again = figures.count_figures(ids, PERIODE)
        assert first == again
        params = {"soort": "gemeente"}
        fingerprint = report_fingerprint(params, ids, PERIODE)
        assert fingerprint == report_fingerprint(params, ids, PERIODE)
        assert fingerprint != report_fingerprint({"soort": "x"}, ids, PERIODE)
        incident = db.session.execute(db.select(Incident).limit(1)).scalar_one()
        incident.afdoening = "grensgeval"
        db.session.commit()
        assert report_fingerprint(params, ids, PERIODE) != fingerprint


@pytest.mark.slow
def test_building_a_report_twice_gives_the_same_fingerprint(app, outsider_data):
    with app.app_context():
        rotterdam = gemeente("GM0599")
        pilot = policy.outsider_period(rotterdam, "P")
        one = build.build_outsider_gemeente_report(rotterdam, pilot)
        two = build.build_outsider_gemeente_report(rotterdam, pilot)
    assert one.vingerafdruk == two.vingerafdruk
    assert one.vingerafdruk in _text(one.pdf)
    assert _figure(_text(one.pdf), "Incidenten") == _figure(_text(two.pdf), "Incidenten")


# The 500 m cells of ``report_data``, worked out by hand: each point converted to RD New
# with pyproj (EPSG:4326 -> EPSG:28992) on its own, its corner rounded down to 500 m. No
# point lies within 5 m of a cell edge. The withdrawn Rotterdam incident (n=20) falls in
# the (95000, 439500) cell, which holds only the late one (n=21).
ROTTERDAM_CELLS = [
    (93_000, 437_500, 3),  # n = 0, 1, 2
    (93_000, 438_000, 2),  # n = 3, 4
    (93_500, 438_000, 3),  # n = 5, 6, 7
    (93_500, 438_500, 1),  # n = 8
    (94_000, 438_500, 3),  # n = 9, 10, 11
    (95_000, 439_500, 1),  # n = 21 (n = 20 is withdrawn)
]
UTRECHT_CELLS = [
    (135_000, 454_500, 2),  # n = 0, 1
    (135_000, 455_000, 1),  # n = 2
    (135_500, 455_000, 3),  # n = 3, 4, 5
    (135_500, 455_500, 1),  # n = 6
]


def test_grid_cells_count_every_incident_in_aligned_cells(app, report_data):
    with app.app_context():
        rotterdam, utrecht = gemeente("GM0599").id, gemeente("GM0344").id
        assert figures.grid_cells([rotterdam], PERIODE, 500) == ROTTERDAM_CELLS
        per_gemeente = figures.grid_cells_per_gemeente([rotterdam, utrecht], PERIODE, 500)
        assert per_gemeente == {rotterdam: ROTTERDAM_CELLS, utrecht: UTRECHT_CELLS}
        both = figures.grid_cells([rotterdam, utrecht], PERIODE, 500)
        assert both == sorted(ROTTERDAM_CELLS + UTRECHT_CELLS)
        first_half_2025 = Period(date(2025, 1, 1), date(2025, 6, 30), "")
        assert figures.grid_cells([utrecht], first_half_2025, 500) == [
            (135_000, 454_500, 2),
            (135_000, 455_000, 1),
            (135_500, 455_000, 3),
        ]  # n = 6 is on 2025-07-07


def test_who_gets_which_report(client, login_as, make_user, app):
    login_as(Rol.COORDINATOR, "GM0599")
    assert client.get("/rapporten/gemeente.pdf?gemeente=GM0344").status_code == 404
    assert client.get("/rapporten/gemeente.pdf?gemeente=GM9999").status_code == 404
    assert client.get("/rapporten/totaal.pdf").status_code == 403
    assert client.get("/dataset/evaluatiedataset.zip").status_code == 403
    page = client.get("/rapporten/").get_data(as_text=True)
    assert "Rotterdam" in page and "Utrecht" not in page and "Totaalrapport" not in page
    ministerie = app.test_client()
    login_as(Rol.MINISTERIE, the_client=ministerie)
    assert ministerie.get("/rapporten/gemeente.pdf?gemeente=GM0599").status_code == 403
    assert ministerie.get("/dataset/evaluatiedataset.zip").status_code == 403
    page = ministerie.get("/rapporten/").get_data(as_text=True)
    assert "Totaalrapport" in page and "Rapport per gemeente" not in page
    script = ministerie.get("/static/js/reports.js")
    assert "Bezig met genereren" in script.get_data(as_text=True)
    script.close()


@pytest.mark.slow
def test_every_download_is_audited(app, client, login_as, outsider_data):
    user = login_as(Rol.EVALUATOR)
    _get_pdf(client, "/rapporten/gemeente.pdf?gemeente=GM0344&periode=2025-K1")
    with app.app_context():
        event = db.session.execute(
            db.select(AuditEvent).where(AuditEvent.actie == "downloaden")
        ).scalar_one()
        assert event.user_id == user.id
        assert event.entiteit == "rapport" and event.entiteit_id == "GM0344"
        assert event.details["van"] == "2025-01-01" and event.details["tot"] == "2025-03-31"
        assert event.details["onderdrukt"] is True
        assert len(event.details["vingerafdruk"]) == 64


def test_a_wrong_period_is_explained(app, client, login_as, frozen_clock):
    login_as(Rol.COORDINATOR, "GM0599")
    response = client.get(
        "/rapporten/gemeente.pdf?gemeente=GM0599&van=2025-06-01&tot=2025-01-01",
        follow_redirects=True,
    )
    assert "De einddatum ligt vóór de begindatum." in response.get_data(as_text=True)
    evaluator = app.test_client()
    login_as(Rol.EVALUATOR, the_client=evaluator)
    for periode in ("2019-K1", "2025-K4", "2024-07-01", ""):
        response = evaluator.get(
            f"/rapporten/gemeente.pdf?gemeente=GM0599&periode={periode}&van=2025-01-01",
            follow_redirects=True,
        )
        assert response.mimetype == "text/html", periode  # no free period outside the gemeente
        assert "Kies een periode uit de lijst" in response.get_data(as_text=True), periode


def test_periods_and_suppression_rules(app):
    assert quarter_period("2025-K4") == Period(
        date(2025, 10, 1), date(2025, 12, 31), "4e kwartaal 2025"
    )
    with app.app_context():
        rotterdam = gemeente("GM0599")
        whole = choose_period(rotterdam, date(2030, 1, 1))
        assert (whole.van, whole.tot) == (rotterdam.pilot_start, rotterdam.pilot_eind)
        custom = choose_period(rotterdam, date(2030, 1, 1), "2025-02-01", "")
        assert (custom.van, custom.tot) == (date(2025, 2, 1), rotterdam.pilot_eind)
    outsider = Formatter(k=5, exact=False)
    shown = [Shown(Status.EXACT, 0, 5), Shown(Status.PRIMARY, None, 5),
             Shown(Status.SECONDARY, None, 5), Shown(Status.EXACT, 1234, 5)]  # fmt: skip
    assert [outsider.n(s) for s in shown] == ["0", "<5", "×", "1.234"]
    assert outsider.rate(shown[1], 10.0, 100) == "—"
    assert outsider.rate(Shown(Status.EXACT, 6, 5), 10.0, 100) == "60,0"
    with pytest.raises(TypeError):
        outsider.n(3)  # an outsider output never writes a bare, unprotected count
    assert Formatter(k=5, exact=True).n(3) == "3"


@pytest.mark.slow
def test_cli_reports(runner, report_data, tmp_path):
    out = tmp_path / "rotterdam.pdf"
    result = runner.invoke(
        args=["reports", "gemeente", "GM0599", "--van", "2024-07-01", "--tot", "2026-06-30",
              "--uit", str(out)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _text(out.read_bytes())
    assert _figure(text, "Processen-verbaal") == "3"  # the operator gets exact counts
    total = tmp_path / "totaal.pdf"
    result = runner.invoke(args=["reports", "totaal", "--uit", str(total)])
    assert result.exit_code == 0, result.output
    assert small_counts(_text(total.read_bytes())) == []
    result = runner.invoke(args=["reports", "gemeente", "GM9999", "--uit", str(out)])
    assert result.exit_code == 1 and "Onbekende gemeente" in result.output


@pytest.mark.slow
def test_reports_hold_the_evaluation_sections(client, login_as, app, outsider_data):
    """Summary with caveats, the issue-11 breakdowns, data quality with definitions; the
    outsider gets no pv-without-case-number or withdrawals, nobody a local file path;
    a suppressed quarter is marked as such in the trend, never drawn as 0."""
    with app.app_context():
        rotterdam = gemeente("GM0599")
        rotterdam.grens_bron = "/home/beheer/Downloads/gemeentegrenzen.geojson"
        db.session.commit()
    sections = (
        "Samenvatting", "Kanttekeningen", "Verschillende startdata", "Kleine aantallen",
        "Hoe het incident bekend werd", "Reprimandes", "Slachtoffers en doorverwijzing",
        "Rol van de boa", "Met aanraking", "Incidenten per 100 inzeturen",
        "Boa’s en politie naast elkaar", "Laat geregistreerd", "Geïmporteerd",
    )  # fmt: skip
    login_as(Rol.COORDINATOR, "GM0599")
    exact = _text(_get_pdf(client, "/rapporten/gemeente.pdf?gemeente=GM0599"))
    evaluator = app.test_client()
    login_as(Rol.EVALUATOR, the_client=evaluator)
    outsider = _text(_get_pdf(evaluator, "/rapporten/gemeente.pdf?gemeente=GM0599&periode=P"))
    totaal = _text(_get_pdf(evaluator, "/rapporten/totaal.pdf"))
    for text in (exact, outsider, totaal):
        for section in sections:
            assert section in text, section
        assert re.search(r"\d+ van \d+\s+maanden", text)  # police-figure coverage
        assert "/home/" not in text and "Downloads" not in text
        assert "Synthetische gegevens" not in text  # the test data is not synthetic
    assert "Proces-verbaal zonder zaaknummer" in exact
    assert "Ingetrokken registraties" in exact
    for text in (outsider, totaal):
        assert "zaaknummer" not in text.split("Datakwaliteit")[-1].split("Methode")[0]
        assert "Ingetrokken registraties (niet meegeteld)" not in text
    # Utrecht's 2025-K2 (2 incidents) is left out: its quarter in the trend reads <5
    table = totaal.split("Per gemeente, op één schaal")[1]
    assert "<5" in table.split("Utrecht")[1].split("Alle grafieken")[0]
