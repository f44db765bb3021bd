"""Real headless Chromium for the browser tests (Debian's /usr/bin/chromium via Playwright).

The app runs in a thread on a free localhost port with the test database; every request to
another host (map tiles) is aborted so nothing leaves the machine or hangs.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pyotp
import pytest
from flask import Flask
from werkzeug.serving import make_server

from pilot import clock
from pilot.models import User
from tests.conftest import IN_CI, PASSWORD, ROOT, TOTP_SECRET

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=nl-NL",  # Dutch date and time fields (dd-mm-jjjj), as the users see them
]
ARTIFACTS = ROOT / "test-artifacts"


def require_browser() -> None:
    """Skip outside CI when Chromium or Playwright is missing; in CI that is a failure."""
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"Chromium ontbreekt ({CHROMIUM}); installeer het Debian-pakket chromium"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "Playwright (Python) is niet geïnstalleerd"
    if reason:
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def body_closed_before_sending(app: Flask) -> Callable[[dict, Callable], list[bytes]]:
    """``app`` with every response body read and closed before the server sends it.

    werkzeug's development server (3.1) calls the body's ``close()`` at the end of a
    ``finally`` block that first drains the request socket; when the browser has reset the
    connection (Chromium drops requests it no longer needs, e.g. Leaflet's images), that
    read raises ``ConnectionResetError`` and ``close()`` is skipped. A static file then stays
    open until garbage collection, and its ResourceWarning, turned into an error by
    ``filterwarnings = error``, fails whichever test happens to be running. Test pages are
    small, so buffering them costs nothing.
    """

    def wsgi(environ: dict, start_response: Callable) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free localhost port for the duration of the block."""
    http = make_server("127.0.0.1", 0, body_closed_before_sending(app), threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        thread.join(timeout=10)
        http.server_close()


def _only_localhost(route) -> None:
    host = urlsplit(route.request.url).hostname
    if host in {"127.0.0.1", "localhost"}:
        route.continue_()
    else:
        route.abort()


@contextmanager
def chromium():
    """One headless Chromium for a test; pages come from ``new_page``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


# Collects the page's Content-Security-Policy violations in ``window.__csp``.
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @ ' +
                    e.sourceFile + ':' + e.lineNumber);
});
"""


def csp_violations(page) -> list[str]:
    """The CSP violations on the page since it was loaded (see ``RECORD_VIOLATIONS``)."""
    return page.evaluate("window.__csp || []")


def new_page(browser, server: str, user: User | None = None, width: int = 1280, **options):
    """A Dutch-locale page in a fresh context (own cookies), logged in as ``user`` if given,
    recording CSP violations; only localhost is reachable."""
    context = browser.new_context(
        viewport={"width": width, "height": 1100 if width > 800 else 800},
        locale="nl-NL",
        timezone_id="Europe/Amsterdam",
        **options,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.route("**/*", _only_localhost)
    page.add_init_script(RECORD_VIOLATIONS)
    if user is not None:
        page.goto(f"{server}/inloggen")
        page.fill("#gebruikersnaam", user.gebruikersnaam)
        page.fill("#wachtwoord", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        _enter_totp_code(page)
    return page


def _enter_totp_code(page) -> None:
    """The second log-in step: this time step's code, or the next step's when this one was
    already used (the app accepts one step of drift and refuses a code used before)."""
    from pilot.services.mfa import STEP

    step = int(clock.now().timestamp()) // STEP
    for attempt in (step, step + 1):
        page.fill("#code", pyotp.TOTP(TOTP_SECRET).generate_otp(attempt))
        page.click("button[type=submit]")
        page.wait_for_load_state()
        if not page.url.rstrip("/").endswith("/inloggen/code"):
            return
    raise AssertionError("TOTP log-in failed")


@contextmanager
def logged_in_page(server: str, user: User, width: int = 1280):
    """A Dutch-locale Chromium page, logged in as ``user``."""
    with chromium() as browser:
        yield new_page(browser, server, user, width)


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line per node."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [
        f"{v['id']} ({v['impact']}): {' '.join(map(str, node['target']))} — {v['help']}"
        for v in results.response["violations"]
        for node in v["nodes"]
    ]


def horizontal_overflow(page) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scroll)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )
