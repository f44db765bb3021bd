"""The structure tree of the report PDFs (issue 11 item 4), read with pikepdf.

Both reports are downloaded over HTTP on the demo data: the coordinator's exact report
of the own gemeente and the evaluator's protected reports (one gemeente, all gemeenten).
In each, the running header and footer are artifacts, the table of contents is a /TOC
of /TOCI entries in document order, every /Figure states its values in its /Alt (or a
table follows it), and every header cell has a /Scope.
"""

import io
import re
from datetime import UTC, datetime

import pdfplumber
import pikepdf
import pytest
from pikepdf import Array, Dictionary

from pilot import clock
from pilot.models import Rol

AFTER_PILOT = datetime(2026, 12, 1, 12, tzinfo=UTC)
MARGIN_PT = 20 / 25.4 * 72  # the @page margin: header and footer live outside it
# An alt text that states values: "<title>: <label> <value>; …" with a count, <k or ×.
VALUES = re.compile(r":.*(\d|<\d|×)")
SKIPPED = {"/Span", "/NonStruct", "/Caption", "/Div", "/Part", "/Sect"}


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(item) -> bool:
    return isinstance(item, Dictionary) and "/S" in item


def _walk(element, depth: int = 0):
    """(element, depth) for every structure element, in document order."""
    for kid in _kids(element):
        if _is_element(kid):
            yield kid, depth
            yield from _walk(kid, depth + 1)


def _mcids(element) -> set[tuple[tuple[int, int] | None, int]]:
    """The (page, MCID) pairs of marked content this element and its descendants own."""
    found = set()
    page = element.get("/Pg")
    for kid in _kids(element):
        if isinstance(kid, int | pikepdf.Object) and not isinstance(kid, Dictionary):
            found.add((page.objgen if page is not None else None, int(kid)))
        elif isinstance(kid, Dictionary) and kid.get("/Type") == "/MCR":
            kid_page = kid.get("/Pg", page)
            found.add((kid_page.objgen if kid_page is not None else None, int(kid.MCID)))
        elif _is_element(kid):
            found |= _mcids(kid)
    return found


def _text_of(element) -> str:
    return str(element.get("/Alt", "") or element.get("/ActualText", ""))


def structure_problems(data: bytes) -> list[str]:
    """What a PDF/UA reader would trip over in the report ``data``; empty when none."""
    problems = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return ["geen StructTreeRoot"]
        elements = list(_walk(root))
        owned = _mcids(root)
        pages = [page.obj.objgen for page in pdf.pages]
        height = float(pdf.pages[0].MediaBox[3])

        # header and footer: marked as /Artifact, owned by no structure element
        with pdfplumber.open(io.BytesIO(data)) as document:
            for number, page in enumerate(document.pages):
                for char in page.chars:
                    in_margin = char["top"] < MARGIN_PT or char["bottom"] > height - MARGIN_PT
                    artifact = char.get("tag") == "Artifact" and char.get("mcid") is None
                    if in_margin and not artifact:
                        problems.append(f"kop- of voettekst op blz. {number + 1} is geen artefact")
                        break
                    mcid = char.get("mcid")
                    if mcid is not None and (pages[number], mcid) not in owned:
                        problems.append(f"tekst op blz. {number + 1} hangt niet in de structuur")
                        break

        # the table of contents: /TOC with /TOCI entries, each linking to a later page
        tocs = [e for e, _ in elements if e.get("/S") == "/TOC"]
        if len(tocs) != 1:
            problems.append(f"{len(tocs)} inhoudsopgaven (/TOC) in plaats van één")
        else:
            entries = [kid for kid in _kids(tocs[0]) if _is_element(kid)]
            if not entries or any(entry.get("/S") != "/TOCI" for entry in entries):
                problems.append("de inhoudsopgave bestaat niet uit /TOCI-elementen")
            targets = [_toc_target(pdf, entry) for entry in entries]
            if None in targets or targets != sorted(targets):
                problems.append(f"inhoudsopgave niet in documentvolgorde: blz. {targets}")

        # figures: values in the alt text, or a table right after the figure
        order = [e for e, _ in elements if e.get("/S") not in SKIPPED]
        for index, element in enumerate(order):
            if element.get("/S") != "/Figure":
                continue
            alt = _text_of(element)
            if not alt:
                problems.append("figuur zonder /Alt")
            elif not VALUES.search(alt):
                following = [e.get("/S") for e in order[index + 1 :] if e.get("/S") != "/Figure"]
                if not following or following[0] != "/Table":
                    problems.append(f"figuur zonder waarden en zonder tabel erna: {alt[:60]}")

        # header cells: a /Scope each
        for element, _ in elements:
            if element.get("/S") == "/TH":
                attributes = element.get("/A")
                scopes = (
                    [attributes] if isinstance(attributes, Dictionary) else list(attributes or [])
                )
                if not any(isinstance(a, Dictionary) and "/Scope" in a for a in scopes):
                    problems.append("kopcel (/TH) zonder /Scope")
                    break
    return problems


def _toc_target(pdf, entry) -> int | None:
    """The page a table-of-contents entry links to (its Link's annotation)."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    for element, _ in _walk(entry):
        if element.get("/S") != "/Link":
            continue
        for kid in _kids(element):
            if isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR":
                destination = _destination(pdf, kid.Obj)
                if destination is not None:
                    return pages.get(destination.objgen)
    return None


def _destination(pdf, annotation):
    target = annotation.get("/Dest")
    if target is None and "/A" in annotation:
        target = annotation.A.get("/D")
    if isinstance(target, pikepdf.String | pikepdf.Name):
        names = pdf.Root.Names.Dests if "/Names" in pdf.Root else None
        target = _named(names, str(target)) if names is not None else None
    if isinstance(target, Dictionary) and "/D" in target:
        target = target.D
    return target[0] if isinstance(target, Array) and len(target) else None


def _named(tree, name: str):
    if "/Names" in tree:
        items = list(tree.Names)
        for key, value in zip(items[::2], items[1::2], strict=True):
            if str(key) == name:
                return value
    for kid in tree.get("/Kids", []):
        found = _named(kid, name)
        if found is not None:
            return found
    return None


@pytest.fixture
def demo_reports(app, runner, client, login_as):
    """The coordinator's report of Rotterdam and the evaluator's Rotterdam and aggregate
    reports, downloaded over HTTP after the pilot on the demo data."""
    with clock.frozen(AFTER_PILOT):
        result = runner.invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        reports = {}
        login_as(Rol.COORDINATOR, "GM0599")
        reports["coordinator"] = _get(client, "/rapporten/gemeente.pdf?gemeente=GM0599")
        evaluator = app.test_client()
        login_as(Rol.EVALUATOR, the_client=evaluator)
        reports["evaluator"] = _get(evaluator, "/rapporten/gemeente.pdf?gemeente=GM0599&periode=P")
        reports["totaal"] = _get(evaluator, "/rapporten/totaal.pdf")
        yield reports


def _get(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert response.mimetype == "application/pdf"
    return response.data


@pytest.mark.slow
def test_report_pdfs_have_a_readable_structure(demo_reports):
    for name, pdf in demo_reports.items():
        assert structure_problems(pdf) == [], name
        with pikepdf.open(io.BytesIO(pdf)) as document:
            figures = [
                e for e, _ in _walk(document.Root.StructTreeRoot) if e.get("/S") == "/Figure"
            ]
            with_values = [f for f in figures if VALUES.search(_text_of(f))]
            assert len(with_values) >= 6, name  # trend, conduct, outcome, place, clothing…


@pytest.mark.slow
def test_the_structure_check_finds_what_weasyprint_leaves(app):
    """Without the pikepdf repairs the check reports the defects (it can fail)."""
    from weasyprint import HTML

    from pilot.services.disclosure.labels import Formatter
    from pilot.services.reports import svg
    from pilot.services.reports.pdf import PDF_VARIANT
    from pilot.services.reports.tagging import fix_structure

    chart = svg.columns(["2025-K1", "2025-K2"], {"Incidenten": [12, 30]}, Formatter(5, True), "T")
    html = f"""<!doctype html><html lang="nl"><head><title>t</title><style>
    @page {{ margin: 20mm; @bottom-right {{ content: "Pagina " counter(page); }} }}
    .toc a::after {{ content: target-counter(attr(href), page); }}
    h2 {{ break-before: page; }}</style></head><body>
    <nav class="toc"><ol><li><a href="#b">B</a></li><li><a href="#a">A</a></li></ol></nav>
    <h2 id="a">A</h2><figure><img alt="Een kaart." src="data:image/svg+xml;utf8,
    %3Csvg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/%3E"></figure>
    <p>Tekst.</p><h2 id="b">B</h2><figure>{chart}</figure>
    <table><thead><tr><th>Kop</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>
    </body></html>"""
    raw = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    before = structure_problems(raw)
    assert any("geen artefact" in p or "niet in de structuur" in p for p in before), before
    assert any("/TOC" in p for p in before), before
    assert any("/Scope" in p for p in before), before
    after = structure_problems(fix_structure(raw))
    assert not any("artefact" in p or "/Scope" in p or "/TOC)" in p for p in after), after
    assert any("documentvolgorde" in p for p in after), after  # B links past A
    assert any("zonder waarden" in p for p in after), after  # the map-like image, no table
