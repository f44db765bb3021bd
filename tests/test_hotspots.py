"""Hotspot service: grid alignment, counts, filters, Gi*, disclosure rules."""

from dataclasses import replace
from datetime import UTC, date, datetime

import numpy as np
import pytest
from sqlalchemy import literal, literal_column, select

from gemeenten.boundaries import to_wgs84
from pilot.extensions import db
from pilot.models import Incident, Rol
from pilot.services.disclosure import policy
from pilot.services.errors import DomainError, NotFound
from pilot.services.hotspots import export, gistar, grid
from pilot.services.hotspots import maps as hotspot_maps
from tests.factories import gemeente, make_boa, make_incident

# Points in Rotterdam (RD), some on and next to cell corners.
RD_POINTS = [(92_500.0, 437_500.0), (92_499.9, 437_500.1), (92_610.0, 437_420.0)] + [
    (93_050.0 + 7 * i, 437_950.0 + 3 * i) for i in range(6)
]


def _add(boa, x, y, **fields):
    lat, lon = to_wgs84(x, y)
    return make_incident(boa, float(lat), float(lon), **fields)


@pytest.mark.parametrize("value,size,expected", [(-150.0, 100, -2), (150.0, 100, 1), (0.0, 250, 0)])
def test_cell_index_is_floor_for_every_sign(app, value, size, expected):
    with app.app_context():
        shifted = grid.shifted_cell_index(literal(value), literal_column(f"{size}.0"))
        index = db.session.execute(select(shifted)).scalar_one() - 1_000_000 // size
        assert index == expected


def test_cells_are_aligned_and_counts_match_a_direct_count(app):
    with app.app_context():
        boa = make_boa("GM0599")
        for x, y in RD_POINTS:
            _add(boa, x, y)
        withdrawn = _add(boa, 92_550.0, 437_550.0)
        withdrawn.ingetrokken_op = datetime(2025, 10, 1, tzinfo=UTC)
        db.session.commit()
        incidents = db.session.execute(
            select(Incident.rd_x, Incident.rd_y).where(Incident.ingetrokken_op.is_(None))
        ).all()
        for size in grid.CELL_SIZES:
            cells = grid.cell_counts(db.session, grid.HotspotFilter(), size)
            assert all(c.x % size == 0 and c.y % size == 0 for c in cells)
            for cell in cells:
                direct = sum(
                    1
                    for x, y in incidents
                    if cell.x <= x < cell.x + size and cell.y <= y < cell.y + size
                )
                assert cell.count == direct
            assert sum(c.count for c in cells) == len(RD_POINTS)


def test_filters(app):
    with app.app_context():
        boa = make_boa("GM0599")
        saturday = datetime(2025, 9, 13, 14, 0, tzinfo=UTC)
        _add(boa, 92_510.0, 437_510.0, tijdstip=saturday, gedragingen=("gebaren",))
        _add(boa, 92_520.0, 437_520.0, kleding="burger", afdoening="proces_verbaal")
        _add(
            boa,
            92_530.0,
            437_530.0,
            locatie_type="park",
            tijdstip=datetime(2025, 1, 2, 3, 0, tzinfo=UTC),
        )
        utrecht = make_boa("GM0344")
        _add(utrecht, 136_000.0, 456_000.0)

        def total(**fields):
            cells = grid.cell_counts(db.session, grid.HotspotFilter(**fields), 500)
            return sum(c.count for c in cells)

        rotterdam = gemeente("GM0599").id
        assert total() == 4
        assert total(gemeente_ids=(rotterdam,)) == 3
        assert total(gedraging="gebaren") == 1
        assert total(gedraging="opmerkingen") == 3
        assert total(kleding="burger") == 1
        assert total(afdoening="proces_verbaal") == 1
        assert total(locatie_type="park") == 1
        assert total(tijdvak="nacht") == 1
        assert total(weekend=True) == 1
        assert total(weekend=False) == 3
        assert total(van=date(2025, 9, 1)) == 3
        assert total(tot=date(2025, 6, 30)) == 1


def _cells(xs, ys, size=100):
    counts = {}
    for x, y in zip(xs, ys, strict=True):
        key = (int(x // size) * size, int(y // size) * size)
        counts[key] = counts.get(key, 0) + 1
    return [grid.Cell(x, y, n) for (x, y), n in counts.items()]


@pytest.mark.parametrize("size", [100, 500])
def test_cell_polygons_transform_every_corner_of_every_cell(size):
    """Shared corners are transformed once; each ring is still its own square's corners."""
    cellen = [
        hotspot_maps.MapCell(x * size, y * size, None, 1, "1", gistar.NIET_SIGNIFICANT)
        for x, y in [(920, 4370), (921, 4370), (921, 4371), (925, 4360), (-1, 6000)]
    ]
    rings = export.cell_polygons(cellen, size)
    assert rings.shape == (5, 5, 2)
    for cel, ring in zip(cellen, rings, strict=True):
        xs = [cel.x, cel.x + size, cel.x + size, cel.x, cel.x]
        ys = [cel.y, cel.y, cel.y + size, cel.y + size, cel.y]
        lat, lon = to_wgs84(np.array(xs, dtype=float), np.array(ys, dtype=float))
        np.testing.assert_array_equal(ring, np.round(np.stack([lon, lat], axis=1), 6))


def test_gi_star_finds_a_planted_cluster():
    rng = np.random.default_rng(0)
    xs, ys = rng.uniform(90_000, 93_000, 400), rng.uniform(430_000, 433_000, 400)
    cx, cy = rng.normal(91_500, 120, 80), rng.normal(431_500, 120, 80)
    result = gistar.gi_star(_cells(np.r_[xs, cx], np.r_[ys, cy]), 100)
    hot = [key for key, klasse in result.klassen.items() if klasse == gistar.HOTSPOT]
    assert result.status == gistar.GI_OK
    assert len(hot) >= 5
    assert all(abs(x + 50 - 91_500) < 500 and abs(y + 50 - 431_500) < 500 for x, y in hot)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gi_star_finds_no_hotspot_in_uniform_random_data(seed):
    rng = np.random.default_rng(seed)
    xs, ys = rng.uniform(90_000, 93_000, 3000), rng.uniform(430_000, 433_000, 3000)
    result = gistar.gi_star(_cells(xs, ys), 100, seed=seed)
    assert result.status == gistar.GI_OK
    assert result.aantal_hotspots == 0


@pytest.mark.parametrize(
    "counts",
    [
        lambda rng, n: (rng.pareto(1.2, n) * 2).astype(int) + 1,  # many ties, a long tail
        lambda rng, n: rng.integers(1, 10**6, n),  # (nearly) every count distinct
        lambda rng, n: np.ones(n, dtype=int),  # all equal
    ],
    ids=["ties", "distinct", "equal"],
)
def test_conditional_pvalues_equal_the_direct_count_over_each_cells_own_pool(counts):
    """The vectorised test gives, for the same draws, exactly what drawing 8 of the other
    cells' values for each cell separately gives (ties counted on both sides)."""
    rng = np.random.default_rng(11)
    keys = np.unique(rng.integers(0, 40, 500) * 1000 + rng.integers(0, 40, 500))
    area = gistar.study_area(keys // 1000, keys % 1000, counts(rng, keys.size))
    p_hot, p_cold = gistar.conditional_pvalues(area, 999, 5)
    ordered = np.sort(area.values)
    draws = gistar._draws(ordered.size - 1, 8, 999, np.random.default_rng(5))
    for i, position in enumerate(area.occupied):
        own = area.values[position]
        pool = np.delete(ordered, np.searchsorted(ordered, own))  # one copy of x_i removed
        sums = pool[draws].sum(axis=1)
        assert p_hot[i] == (1 + (sums >= area.neighbour_sum[i]).sum()) / 1000
        assert p_cold[i] == (1 + (sums <= area.neighbour_sum[i]).sum()) / 1000


@pytest.mark.parametrize("largest", [40, 10**6], ids=["histogram", "sorted"])
def test_tally_counts_the_sums_at_most_and_at_least_as_large_as_observed(largest):
    """Both ways of counting (a histogram for a small range of sums, sorting for a wide
    one) give the direct count, ties on both sides."""
    rng = np.random.default_rng(3)
    sums = rng.integers(0, largest, (7, 300))
    group_of = rng.integers(0, 7, 50)
    observed = np.where(rng.random(50) < 0.5, sums[group_of, 0], rng.integers(0, largest, 50))
    at_most, at_least = gistar._tally(sums, group_of, observed)
    assert (at_most == (sums[group_of] <= observed[:, None]).sum(axis=1)).all()
    assert (at_least == (sums[group_of] >= observed[:, None]).sum(axis=1)).all()


def test_gi_star_says_when_there_are_too_few_incidents():
    result = gistar.gi_star(_cells([91_000.0 + 150 * i for i in range(12)], [431_000.0] * 12), 100)
    assert result.status == gistar.GI_TE_WEINIG
    assert result.klassen == {}
    assert "Te weinig" in result.melding


def test_benjamini_hochberg():
    rejected = gistar.benjamini_hochberg(np.array([0.001, 0.008, 0.039, 0.041, 0.9]), 0.05)
    assert rejected.tolist() == [True, True, False, False, False]


def test_outsiders_get_only_the_publications_quarters_at_500_m():
    offered = ["2025-K2", "2025-K3"]  # the quarters the outsider publication offers
    q3 = grid.HotspotFilter(van=date(2025, 7, 1), tot=date(2025, 9, 30))
    evaluator = policy.Viewer(Rol.EVALUATOR)
    hotspot_maps.check_filter(evaluator, q3, 500, offered)
    quarter_only = "Kies een afgesloten kalenderkwartaal."
    for flt, size, message in [
        (q3, 100, "alleen het raster van 500 m"),
        (grid.HotspotFilter(van=date(2025, 7, 1), tot=date(2025, 8, 31)), 500, quarter_only),
        (grid.HotspotFilter(van=date(2025, 10, 1), tot=date(2025, 12, 31)), 500, quarter_only),
        (grid.HotspotFilter(), 500, quarter_only),
        (
            grid.HotspotFilter(van=q3.van, tot=q3.tot, kleding="burger"),
            500,
            "alleen op kwartaal en gemeente",
        ),
    ]:
        with pytest.raises(DomainError, match=message):
            hotspot_maps.check_filter(evaluator, flt, size, offered)
    details = {"gedraging": "gebaren", "afdoening": "proces_verbaal", "locatie_type": "park",
               "tijdvak": "nacht", "weekend": False, "kleding": "burger"}  # fmt: skip
    for name, value in details.items():
        with pytest.raises(DomainError, match="alleen op kwartaal en gemeente"):
            hotspot_maps.check_filter(evaluator, replace(q3, **{name: value}), 500, offered)
    coordinator = policy.Viewer(Rol.COORDINATOR, gemeente_id=7)
    hotspot_maps.check_filter(
        coordinator, grid.HotspotFilter(gemeente_ids=(7,), kleding="burger"), 100, offered
    )
    with pytest.raises(NotFound):
        hotspot_maps.check_filter(coordinator, grid.HotspotFilter(gemeente_ids=(8,)), 500, offered)


def test_gi_star_agrees_with_esda():
    """Same statistic as esda's G_Local(star=True, transform="B"), p-values within noise."""
    from esda.getisord import G_Local
    from libpysal.graph import Graph

    rng = np.random.default_rng(0)
    x = np.r_[rng.uniform(90_000, 92_000, 300), rng.normal(91_000, 120, 60)]
    y = np.r_[rng.uniform(430_000, 432_000, 300), rng.normal(431_000, 120, 60)]
    grid = np.stack([x // 100, y // 100]).astype(int)
    (ix, iy), counts = np.unique(grid, axis=1, return_counts=True)
    area = gistar.study_area(ix, iy, counts)
    # The same area rebuilt independently: every cell within one step of an occupied one.
    occupied = set(zip(ix.tolist(), iy.tolist(), strict=True))
    steps = [(dx, dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)]
    cells = sorted({(a + dx, b + dy) for a, b in occupied for dx, dy in steps})
    position = {cell: i for i, cell in enumerate(cells)}
    focal, neighbour = [], []
    for (a, b), i in position.items():
        for dx, dy in steps:
            j = position.get((a + dx, b + dy))
            if (dx, dy) != (0, 0) and j is not None:
                focal.append(i)
                neighbour.append(j)
    mine = [position[cell] for cell in zip(ix.tolist(), iy.tolist(), strict=True)]
    values = np.zeros(len(cells))
    values[mine] = counts
    assert sorted(values) == sorted(area.values)
    graph = Graph.from_arrays(np.array(focal), np.array(neighbour), np.ones(len(focal)))
    esda = G_Local(
        values, graph, "B", star=True, permutations=999, n_jobs=1, seed=1, keep_simulations=True
    )
    total = area.values.sum()
    ours_g = (area.values[area.occupied] + area.neighbour_sum) / total
    np.testing.assert_allclose(esda.Gs[mine], ours_g)
    observed = esda.Gs[mine][:, None]
    p_esda = (1 + (esda.rGs[mine] >= observed - 1e-9 * observed).sum(axis=1)) / 1000
    p_ours, _p_cold = gistar.conditional_pvalues(area, 999, 1)
    assert np.abs(p_esda - p_ours).mean() < 0.02
    assert np.abs(p_esda - p_ours).max() < 0.08
