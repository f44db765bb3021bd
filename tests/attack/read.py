"""Read the collected outputs into figures, and check that every output tells the same.

The tabellen CSV is the publication in machine-readable form; every figure a PDF prints,
every cell of a map page and every row of a map download must be in it with the same
label. Whatever an output shows beyond the CSV is a defect (and is still given to the
attacker).
"""

from collections import Counter
from dataclasses import dataclass, field

from gemeenten.registry import pilot_gemeenten
from tests.attack import pdf
from tests.attack.collect import NATIONAL, Collected, download_cells
from tests.attack.dashboard import read_dashboard
from tests.attack.published import (
    EXCLUDED,
    MAP,
    SPINE,
    Cell,
    Figure,
    Label,
    Published,
    canonical,
    cell,
)


@dataclass
class Reading:
    """What the attacker knows after reading everything one role got."""

    role: str
    published: Published
    gemeenten: dict[str, str]  # CBS code -> naam
    tranches: dict[str, list[str]]  # "T1" -> CBS codes
    quarters: list[str]
    k: int
    defects: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


def _names() -> dict[str, str]:
    """Gemeente name -> CBS code: public (the CBS list of gemeenten, DOMAIN.md)."""
    return {g.naam: g.cbs_code for g in pilot_gemeenten()}


def csv_figures(collected: Collected) -> list[Figure]:
    return [
        Figure(
            canonical(row["tabel"], row["eenheid"], row["periode"], row["codes"]),
            Label(row["waarde"]),
            "tabellen.csv",
        )
        for row in collected.csv_rows
    ]


def dataset_figures(dataset: bytes | None) -> list[Figure]:
    """HOOK (issue 10, item 4): the counts the evaluation dataset implies.

    The dataset is being rebuilt (branch i10-dataset) into a k-anonymous file that agrees
    with the tables. Once it lands, return here every count an evaluator can compute
    from it (per gemeente, quarter and quasi-identifier, and per 500 m cell where it has
    locations) as Figures under the tabellen keys, so the attack covers it too. Until
    then the dataset is fetched (so access is still tested) but adds no figures.
    """
    return []


def read(collected: Collected) -> Reading:
    """Every figure of every output, merged, with the defects found on the way."""
    published = Published()
    reading = Reading(collected.role, published, {}, {}, [], 5)
    reading.counts["requests"] = collected.requests
    for figure in csv_figures(collected):
        published.add(figure)
    reading.counts["csv rows"] = len(published.labels)
    csv_labels = dict(published.labels)
    reading.k = k = published.k()
    names = _names()
    codes = {code: naam for naam, code in names.items()}
    units = {key.eenheid for key in csv_labels if key.eenheid.startswith("GM")}
    reading.gemeenten = {code: codes.get(code, code) for code in sorted(units)}
    reading.quarters = sorted(
        {key.periode for key in csv_labels if "-K" in key.periode} | set(collected.map_quarters)
    )
    excluded = {(key.eenheid, key.periode) for key in csv_labels if key.tabel == EXCLUDED}

    printed: list[pdf.Printed] = []
    if collected.aggregate is not None:
        text = pdf.pdf_text(collected.aggregate)
        aggregate = pdf.aggregate_report(text, names, k, "totaal.pdf")
        printed.append(aggregate)
        reading.tranches = {
            t: [names.get(n, n) for n in members] for t, members in aggregate.tranches.items()
        }
        if aggregate.excluded != excluded:
            reading.defects.append(
                f"totaal.pdf says left out {sorted(aggregate.excluded)}, the CSV {sorted(excluded)}"
            )
    for (gemeente, periode), document in sorted(collected.reports.items()):
        source = f"rapport {gemeente} {periode}"
        report = pdf.gemeente_report(pdf.pdf_text(document), gemeente, periode, k, source)
        printed.append(report)
        own = {item for item in excluded if item[0] == gemeente}
        if report.excluded != own:
            reading.defects.append(f"{source} says left out {sorted(report.excluded)}, CSV {own}")
    reading.counts["pdfs"] = len(printed)
    for document in printed:
        reading.counts["pdf figures"] += len(document.figures)
        reading.defects += [f"not understood: {line}" for line in document.leftovers]
        for figure in document.figures:
            if not figure.label.is_figure:
                continue
            figure = _left_out(figure, excluded)
            known = csv_labels.get(figure.cell)
            if known is None:
                reading.defects.append(
                    f"{figure.source} prints {figure.cell} = {figure.label.text}, "
                    "which the tabellen CSV lacks"
                )
            published.add(figure)
        reading.defects += pdf.check_multisets(document, published.labels)
        reading.defects += pdf.check_rates(document, published.labels)
        reading.defects += pdf.check_ticks(document, k)

    _read_maps(collected, reading, csv_labels)
    _read_dashboards(collected, reading, csv_labels, names, excluded)
    for figure in dataset_figures(collected.dataset):
        published.add(figure)
    reading.defects += published.defects
    reading.counts["figures"] = len(published.labels)
    reading.counts["hidden"] = len(published.hidden())
    return reading


def _read_dashboards(collected, reading, csv_labels, names, excluded) -> None:
    """Every dashboard figure must be the CSV's (the same cell, the same label)."""
    for (unit, period), html in sorted(collected.dashboards.items()):
        reading.counts["dashboards"] += 1
        found = read_dashboard(html, "NL" if unit == "home" else unit, period, names)
        reading.defects += found.defects + [f"not understood: {item}" for item in found.leftovers]
        for figure in found.figures:
            if not figure.label.is_figure:
                continue
            figure = _left_out(figure, excluded)
            reading.counts["dashboard figures"] += 1
            known = csv_labels.get(figure.cell)
            if known is None:
                reading.defects.append(
                    f"{figure.source} shows {figure.cell} = {figure.label.text}, "
                    "which the tabellen CSV lacks"
                )
            reading.published.add(figure)


def _left_out(figure: Figure, excluded: set[tuple[str, str]]) -> Figure:
    """A report on a gemeente-quarter that was left out prints its incidents as ``<k``:
    that is the left-out count, not a total of the tables."""
    unit, period = figure.cell.eenheid, figure.cell.periode
    if (unit, period) in excluded and figure.cell == cell(SPINE, unit, period):
        return Figure(cell(EXCLUDED, unit, period), figure.label, figure.source)
    return figure


def _payload_text(count: int, k: int) -> str:
    return f"<{k}" if count == -1 else "×" if count == -2 else str(count)


def _read_maps(collected: Collected, reading: Reading, csv_labels: dict[Cell, Label]) -> None:
    """Map pages and downloads against the CSV's map cells (same cells, same labels)."""
    k = reading.k
    by_quarter: dict[tuple[str, str], Counter] = {}
    exact: dict[tuple[str, str], Counter] = {}
    for key, label in csv_labels.items():
        if key.tabel != MAP:
            continue
        for unit in (key.eenheid, NATIONAL):
            where = (unit, key.periode)
            by_quarter.setdefault(where, Counter())[(key.code("cel"), label.text)] += 1
            if label.exact is not None:
                exact.setdefault(where, Counter())[(key.eenheid, key.code("cel"), label.exact)] += 1
    for (unit, quarter), cells in sorted(collected.maps.items()):
        reading.counts["map pages"] += 1
        reading.counts["map cells"] += len(cells)
        shown = Counter((c.key, _payload_text(c.count, k)) for c in cells)
        expected = by_quarter.get((unit, quarter), Counter())
        if shown != expected:
            reading.defects.append(
                f"map {unit} {quarter}: the page shows {sorted((shown - expected).items())[:5]}"
                f" beyond the CSV and lacks {sorted((expected - shown).items())[:5]}"
            )
        if unit == NATIONAL:
            continue
        for c in cells:
            label = Label(_payload_text(c.count, k))
            reading.published.add(Figure(cell(MAP, unit, quarter, cel=c.key), label, "kaart"))
    for (unit, quarter, fmt), body in sorted(collected.downloads.items()):
        reading.counts["map downloads"] += 1
        got = Counter(download_cells(body, fmt))
        wanted = exact.get((unit, quarter), Counter())
        if got != wanted:
            reading.defects.append(
                f"map download {unit} {quarter} {fmt}: {sorted((got - wanted).items())[:5]} "
                f"beyond the CSV's exact cells, {sorted((wanted - got).items())[:5]} missing"
            )
