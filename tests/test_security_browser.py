"""Security in a real Chromium: log-in with TOTP, first-log-in enrolment, and no page of any
role that breaks the Content-Security-Policy (ASVS 14.4.3, 2.8, 3.x).

Every role logs in through the browser with a TOTP code and then crawls every same-origin
link it can reach (downloads and log-out excepted); any ``securitypolicyviolation`` event,
CSP console message or uncaught script error on any page fails the test.
"""

from urllib.parse import urljoin, urlsplit

import pyotp
import pytest

from gemeenten.boundaries import to_wgs84
from pilot import clock
from pilot.extensions import db
from pilot.models import Rol, User
from tests.browser import ARGS, CHROMIUM, RECORD_VIOLATIONS, _only_localhost, logged_in_page
from tests.conftest import PASSWORD
from tests.factories import make_boa, make_incident

pytestmark = [pytest.mark.browser, pytest.mark.db_independent]

DOWNLOADS = {
    "hotspots.download_national_cells",
    "hotspots.download_gemeente_cells",
    "reports.download_gemeente_report",
    "reports.download_aggregate_report",
    "dataset.download_dataset",
    "imports.download_errors",
    "imports.download_template",
    "auth.log_out",
}
MAX_PAGES = 45


def _seed(app) -> None:
    with app.app_context():
        boa = make_boa("GM0599")
        for i in range(12):
            lat, lon = to_wgs84(92_610.0 + 40 * i, 437_620.0 + 30 * i)
            make_incident(boa, float(lat), float(lon))


def _crawl(app, page, server: str) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: (
            problems.append(f"{page.url}: {m.text}")
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text
            else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(f"{page.url}: script error {e}"))
    adapter = app.url_map.bind("127.0.0.1")
    queue, seen, visited = [f"{server}/"], set(), []
    while queue and len(visited) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if path in seen:
            continue
        seen.add(path)
        try:
            endpoint, _args = adapter.match(path)
        except Exception:  # noqa: BLE001 - a 404 link is another test's concern
            continue
        if endpoint in DOWNLOADS or endpoint == "static":
            continue
        page.goto(url)
        page.wait_for_load_state("load")
        visited.append(path)
        problems.extend(f"{path}: {v}" for v in page.evaluate("window.__csp || []"))
        for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
            target = urljoin(url, href)
            if target.startswith(server) and urlsplit(target).path not in seen:
                queue.append(target.split("#")[0])
    return visited, problems


@pytest.mark.parametrize("rol", list(Rol))
def test_no_page_violates_the_content_security_policy(
    app, boundaries_loaded, make_user, server, rol: Rol
):
    _seed(app)
    user = make_user(rol, "GM0599" if rol is Rol.COORDINATOR else None)
    with logged_in_page(server, user) as page:
        assert page.url.rstrip("/") != f"{server}/inloggen/code", "TOTP log-in failed"
        visited, problems = _crawl(app, page, server)
    assert len(visited) >= 4, visited
    map_pages = [p for p in visited if "/kaart" in p]
    assert map_pages, visited
    assert problems == [], problems


def test_first_log_in_sets_up_totp_then_asks_for_a_new_password(app, server):
    """A new user (temporary password, no MFA): enrol by the shown key, get recovery codes,
    then change the password; the CSP holds on every step."""
    from playwright.sync_api import sync_playwright

    from pilot.services.users import create_user

    with app.app_context():
        create_user("nieuwe.evaluator", "", PASSWORD, Rol.EVALUATOR)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="nl-NL")
            page.route("**/*", _only_localhost)
            page.add_init_script(RECORD_VIOLATIONS)
            page.goto(f"{server}/inloggen")
            page.fill("#gebruikersnaam", "nieuwe.evaluator")
            page.fill("#wachtwoord", PASSWORD)
            page.click("button[type=submit]")
            assert page.locator("svg.segno").count() == 1
            secret = page.inner_text("#totp-sleutel").replace(" ", "")
            page.fill("#code", pyotp.TOTP(secret).at(clock.now()))
            page.click("button[type=submit]")
            codes = page.locator(".herstelcodes code").all_inner_texts()
            assert len(codes) == 10 and all(len(c) == 29 for c in codes)
            assert page.evaluate("window.__csp") == []
            page.click("text=Ik heb de codes bewaard")
            assert page.url.endswith("/account/wachtwoord")
            page.fill("#huidig", PASSWORD)
            page.fill("#nieuw", "paars konijn fietst naar zee")
            page.fill("#herhaling", "paars konijn fietst naar zee")
            page.click("main button[type=submit]")
            assert "Uw wachtwoord is gewijzigd" in page.content()
            assert page.evaluate("window.__csp") == []
        finally:
            browser.close()
    with app.app_context():
        user = db.session.execute(
            db.select(User).where(User.gebruikersnaam == "nieuwe.evaluator")
        ).scalar_one()
        assert user.mfa_actief and not user.wachtwoord_tijdelijk
