"""Folium rendering of a ``HotspotMap``: a thin layer, no arithmetic, no Flask.

The cells are not a GeoJSON layer (a Feature per cell with its own style costs ~320 bytes
and a Python call per cell). ``_CellLayer`` writes one flat integer array, six numbers per
cell: south and west corner in 1e-5 degrees, height and width in 1e-5 degrees, the count
(-1 for "<k", -2 for "×", a cell hidden to protect others: the count is not in the
page) and the Gi* class index; a few lines of JavaScript turn it into ``L.rectangle``s in
one ``L.featureGroup`` with colours from ``KLASSEN`` and one lazily evaluated tooltip.
About 30 bytes per cell.

Folium links Leaflet, jQuery, Bootstrap, Font Awesome … from CDNs; ``_localise`` swaps
every such link for our static files and drops the ones the map does not use, and fails
loudly for a link it does not know (a new folium version), so no page reaches a CDN.

Accessibility: the map opens on the extent of the cells (else of the boundaries); folium's
own viewport tag (``user-scalable=no``) and page styles are left out of the header, so the
page keeps its one viewport tag; classes differ in more than colour: every class colour
has at least 3:1 against the background and against the white cell edge, a suppressed cell
has a dotted edge and no fill colour, Gi* hot and cold spots have a solid or dashed heavy
edge and a ▲ or ▼ symbol; the legend is below the map (template), and ``table_rows`` gives
the hotspots and top cells as a table, the map's text alternative.
"""

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import folium
import numpy as np
import shapely
import xyzservices
from branca.element import Element, Figure, MacroElement
from folium.map import FitBounds, Layer
from folium.plugins import HeatMap
from jinja2 import Template
from jinja2.utils import htmlsafe_json_dumps
from shapely.geometry.base import BaseGeometry

from gemeenten.boundaries import to_wgs84
from pilot.services.hotspots import classes
from pilot.services.hotspots.export import cell_polygons
from pilot.services.hotspots.gistar import COLDSPOT, HOTSPOT, NIET_SIGNIFICANT
from pilot.services.hotspots.maps import HotspotMap, MapCell

PDOK_GRIJS = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_ATTRIBUTIE = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a>'
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTIE = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
# As providers, so folium does not search xyzservices' whole catalogue for the URL (11 ms a map)
PDOK_TILES = xyzservices.TileProvider(
    name="PDOK BRT-Achtergrondkaart grijs", url=PDOK_GRIJS, attribution=PDOK_ATTRIBUTIE
)
OSM_TILES = xyzservices.TileProvider(name="OpenStreetMap", url=OSM, attribution=OSM_ATTRIBUTIE)

ASSETS = ("leaflet", "leaflet_css", "leaflet-heat.js")
UNUSED_ASSETS = {
    "jquery",
    "bootstrap",
    "bootstrap_css",
    "glyphicons_css",
    "awesome_markers",
    "awesome_markers_css",
    "awesome_markers_font_css",
    "awesome_rotate_css",
}
# Count classes (upper bounds) and colours, light to dark: 3.75:1 to 17.9:1 against white.
KLASSEN = list(zip(classes.UPPER, classes.COLOURS, strict=True))  # one scheme: web and PDF
ONDERDRUKT = "#ffffff"  # no fill colour: the dotted edge marks a suppressed cell
FILL_OPACITY = 0.9  # nearly opaque, so the colours keep their contrast over the basemap
# Edge per Gi* class: colour, weight, dash pattern (None: solid); symbol in the cell.
RAND = {HOTSPOT: ("#000000", 3.5, None), COLDSPOT: ("#08306b", 3.5, "6 4")}
SYMBOOL = {HOTSPOT: "▲", COLDSPOT: "▼"}
GEWOON_RAND = ("#ffffff", 1.0, None)
BOUNDARY_STYLE = {"color": "#01689b", "weight": 2, "fill": False}
ONDERDRUKT_RAND = ("#595959", 1.5, "2 3")


@dataclass(frozen=True)
class TableRow:
    """One cell in the table below the map (the map's text alternative)."""

    rang: int
    gemeente: str
    lat: float
    lon: float
    aantal: str
    klasse: str
    bounds: tuple[float, float, float, float]  # south, west, north, east


@dataclass(frozen=True)
class LegendRow:
    label: str
    colour: str
    edge: str = "#ffffff"
    dash: str | None = None
    symbool: str = ""


@dataclass(frozen=True)
class MapParts:
    """Pieces of the folium document to place in our own page template."""

    header: str
    html: str
    script: str
    legend: list[LegendRow] = field(default_factory=list)
    rows: list[TableRow] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.header) + len(self.html) + len(self.script)


GI_KLASSEN = (NIET_SIGNIFICANT, HOTSPOT, COLDSPOT)  # index in the payload
FIELDS = 6  # numbers per cell in the payload
TABLE_TOP = 10  # the table lists every Gi* hot or cold spot plus this many busiest cells


def cell_payload(cellen: list[MapCell], rings: np.ndarray) -> list[int]:
    """The flat cell array of ``_CellLayer`` (see the module docstring); ``rings``: the
    cells' ``cell_polygons`` ([lon, lat], corners SW, SE, NE, NW)."""
    if not cellen:
        return []
    south = np.rint(rings[:, 0, 1] * 1e5).astype(np.int64)
    west = np.rint(rings[:, 0, 0] * 1e5).astype(np.int64)
    north = np.rint(rings[:, 2, 1] * 1e5).astype(np.int64)
    east = np.rint(rings[:, 2, 0] * 1e5).astype(np.int64)
    count = np.array(
        [
            c.aantal if c.aantal is not None else -1 if c.label.startswith("<") else -2
            for c in cellen
        ],
        dtype=np.int64,
    )
    klasse = np.array([GI_KLASSEN.index(c.klasse) for c in cellen], dtype=np.int64)
    return np.stack([south, west, north - south, east - west, count, klasse], 1).ravel().tolist()


class _Rendered(Element):
    """Output that is already rendered: branca would compile it as a Jinja template again."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _LiteralMacro(MacroElement):
    """branca's ``MacroElement.render`` without its waste: it wraps each rendered macro in
    ``Element(text)``, which compiles the text, data and all, as a Jinja template again
    (0.3–1 ms each, a dozen a map: most of a map's rendering time). This one adds the text
    as it is — same output.

    Listed after a folium class (``class _Map(folium.Map, _LiteralMacro)``), it comes just
    before ``MacroElement`` in the class's method order, so folium's own ``render`` steps
    (script links, style maps, layer lists) still run and their ``super().render()`` ends
    here. Plain macro children (the ``addTo`` a ``Layer`` adds) are rendered the same way.
    """

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        assert isinstance(figure, Figure), "render a map element inside a Figure"
        macros = self._template.module.__dict__
        for part in ("header", "html", "script"):
            if (macro := macros.get(part)) is not None:
                getattr(figure, part).add_child(
                    _Rendered(macro(self, kwargs)), name=self.get_name()
                )
        for child in self._children.values():
            if type(child).render is MacroElement.render:
                _LiteralMacro.render(child, **kwargs)
            else:
                child.render(**kwargs)


class _Map(folium.Map, _LiteralMacro):
    pass


class _TileLayer(folium.TileLayer, _LiteralMacro):
    pass


class _FitBounds(FitBounds, _LiteralMacro):
    pass


class _LayerControl(folium.LayerControl, _LiteralMacro):
    pass


class _HeatMap(HeatMap, _LiteralMacro):
    """folium's heat layer with its points given as JSON text (``incident_points``):
    folium would check and serialise each of up to 100,000 points in Python."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.heatLayer({{ this.points_json }}, {{ this.options|tojson }});
{% endmacro %}"""
    )

    def __init__(self, points_json: str, **options) -> None:
        super().__init__([], **options)
        self.points_json = points_json


class _CellLayer(Layer, _LiteralMacro):
    """Grid cells as rectangles in one feature group (an overlay in the layer control)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = (function (d) {
  var group = L.featureGroup(), c = d.cellen;
  function kleur(n) {
    if (n < 0) return d.onderdrukt;
    for (var j = 0; j < d.grenzen.length; j++) if (n <= d.grenzen[j]) return d.kleuren[j];
    return d.kleuren[d.kleuren.length - 1];
  }
  for (var i = 0; i < c.length; i += {{ this.fields }}) {
    var s = c[i] / 1e5, w = c[i + 1] / 1e5, g = c[i + 5], n = c[i + 4];
    var e = g > 0 ? g : (n < 0 ? d.rand.length - 1 : 0);
    var box = [[s, w], [s + c[i + 2] / 1e5, w + c[i + 3] / 1e5]];
    var r = L.rectangle(box, {
      fillColor: kleur(n), fillOpacity: d.dekking, color: d.rand[e], weight: d.dikte[e],
      dashArray: d.streep[e]});
    r.cel = i;
    group.addLayer(r);
    if (d.symbool[g]) {
      group.addLayer(L.marker(L.latLngBounds(box).getCenter(), {
        icon: L.divIcon({className: "gi-symbool gi-" + g, html: d.symbool[g], iconSize: null}),
        interactive: false, keyboard: false}));
    }
  }
  group.bindTooltip(function (layer) {
    if (layer.cel === undefined) return "";
    var n = c[layer.cel + 4];
    var shown = n === -1 ? d.onder : (n === -2 ? d.afgeschermd : n);
    return "Incidenten: " + shown + "<br>Gi*: " + d.gi[c[layer.cel + 5]];
  }, {sticky: true});
  return group;
})({{ this.data }});
{% endmacro %}"""
    )

    def __init__(self, kaart: HotspotMap, rings: np.ndarray, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "HotspotCellen"  # the JavaScript variable: hotspot_cellen_<id>
        self.fields = FIELDS
        # Edges by Gi* index, then one more for a suppressed cell that is not significant.
        edges = [RAND.get(klasse, GEWOON_RAND) for klasse in GI_KLASSEN] + [ONDERDRUKT_RAND]
        self.data = json.dumps(
            {
                "cellen": cell_payload(kaart.cellen, rings),
                "grenzen": [upper for upper, _colour in KLASSEN if upper is not None],
                "kleuren": [colour for _upper, colour in KLASSEN],
                "onderdrukt": ONDERDRUKT,
                "dekking": FILL_OPACITY,
                "onder": f"<{kaart.k}",
                "afgeschermd": "× (afgeschermd)",
                "rand": [colour for colour, _weight, _dash in edges],
                "dikte": [weight for _colour, weight, _dash in edges],
                "streep": [dash for _colour, _weight, dash in edges],
                "symbool": [SYMBOOL.get(klasse, "") for klasse in GI_KLASSEN],
                "gi": list(GI_KLASSEN),
            },
            separators=(",", ":"),
        )


class _BoundaryLayer(Layer, _LiteralMacro):
    """The gemeente boundaries, an overlay with each boundary's name as its tooltip (as text,
    not HTML). folium's GeoJson with a GeoJsonTooltip compiled two Jinja templates a map and
    computed a style per feature for one fixed style."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = L.geoJson({{ this.data }}, {style: {{ this.style }}})
  .bindTooltip(function (layer) {
    var text = document.createElement("span");
    text.textContent = "Gemeente: " + layer.feature.properties.naam;
    return text;
  }, {sticky: true});
{% endmacro %}"""
    )

    def __init__(self, boundaries: list[tuple[str, BaseGeometry]], name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "Gemeentegrenzen"
        features = ",".join(_boundary_feature(naam, shapely.to_wkb(g)) for naam, g in boundaries)
        self.data = '{"type":"FeatureCollection","features":[' + features + "]}"
        self.style = json.dumps(BOUNDARY_STYLE)


def legend_rows(k: int, exact: bool) -> list[LegendRow]:
    """The legend below the map: count classes, the suppressed class, the Gi* edges."""
    lower, rows = 1 if exact else k, []
    if not exact:
        rows.append(
            LegendRow(
                f"minder dan {k}, of × afgeschermd (aantal niet getoond)",
                ONDERDRUKT,
                *_edge(None),
            )
        )
    for upper, colour in KLASSEN:
        label = f"{lower}–{upper}" if upper else f"{lower} of meer"
        rows.append(LegendRow(label, colour, *_edge(NIET_SIGNIFICANT)))
        lower = (upper or 0) + 1
    for klasse, label in ((HOTSPOT, "Gi*-hotspot"), (COLDSPOT, "Gi*-coldspot")):
        rows.append(LegendRow(label, "#ffffff", *_edge(klasse), SYMBOOL[klasse]))
    return rows


def _edge(klasse: str | None) -> tuple[str, str | None]:
    colour, _weight, dash = ONDERDRUKT_RAND if klasse is None else RAND.get(klasse, GEWOON_RAND)
    return colour, dash


def table_rows(
    kaart: HotspotMap,
    boundaries: list[tuple[str, BaseGeometry]],
    rings: np.ndarray,
    top: int = TABLE_TOP,
) -> list[TableRow]:
    """Every Gi* hot or cold spot and the ``top`` busiest cells (suppressed counts last),
    busiest first: what the map shows, as text. ``rings``: the cells' ``cell_polygons``."""
    ranked = sorted(
        range(len(kaart.cellen)),
        key=lambda i: (-(kaart.cellen[i].aantal or 0), kaart.cellen[i].x, kaart.cellen[i].y),
    )
    chosen = [
        i for n, i in enumerate(ranked) if n < top or kaart.cellen[i].klasse != NIET_SIGNIFICANT
    ]
    cellen = [kaart.cellen[i] for i in chosen]
    rows = []
    for rang, (cel, ring) in enumerate(zip(cellen, rings[chosen], strict=True), start=1):
        centre = shapely.Point(cel.x + kaart.cell_size / 2, cel.y + kaart.cell_size / 2)
        naam = next((n for n, g in boundaries if g.covers(centre)), "")
        (west, south), (east, north) = ring[0], ring[2]
        rows.append(
            TableRow(
                rang=rang,
                gemeente=naam,
                lat=round((south + north) / 2, 5),
                lon=round((west + east) / 2, 5),
                aantal=cel.label,
                klasse=cel.klasse,
                bounds=(float(south), float(west), float(north), float(east)),
            )
        )
    return rows


def _localise(element: Element, asset_urls: dict[str, str]) -> None:
    for attribute in ("default_js", "default_css"):
        links = getattr(element, attribute, None)
        if links is None:
            continue
        local = []
        for name, _url in links:
            if name in asset_urls:
                local.append((name, asset_urls[name]))
            elif name not in UNUSED_ASSETS:
                raise RuntimeError(f"Onbekende externe bibliotheek in folium: {name}")
        setattr(element, attribute, local)
    for child in element._children.values():
        _localise(child, asset_urls)


@lru_cache(maxsize=64)
def _boundary_feature(naam: str, wkb: bytes) -> str:
    """A boundary as a GeoJSON Feature, simplified at 25 m (in RD) with 5 decimals;
    boundaries rarely change."""
    simple = shapely.simplify(shapely.from_wkb(wkb), 25)
    wgs = shapely.transform(simple, lambda xy: _swap(to_wgs84(xy[:, 0], xy[:, 1])))
    feature = {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(shapely.set_precision(wgs, 1e-5)),
        "properties": {"naam": naam},
    }
    return str(htmlsafe_json_dumps(feature, separators=(",", ":")))  # inside a <script>


def _swap(latlon):
    lat, lon = latlon
    return np.column_stack([lon, lat])


def render_map(
    kaart: HotspotMap,
    boundaries: list[tuple[str, BaseGeometry]],
    asset_urls: dict[str, str],
    location: tuple[float, float] = (52.1, 5.3),
    zoom: int = 8,
) -> MapParts:
    """The map of ``kaart``: cells, Gi* edges, boundaries, basemaps, heat layer if exact.

    ``asset_urls`` gives our URL for each name in ``ASSETS``.
    """
    fmap = _Map(location=location, zoom_start=zoom, tiles=None, prefer_canvas=True)
    fmap.get_root().width, fmap.get_root().height = "100%", "70vh"
    _TileLayer(
        PDOK_TILES, attr=PDOK_ATTRIBUTIE, name="PDOK BRT-Achtergrondkaart grijs", max_zoom=19
    ).add_to(fmap)
    _TileLayer(
        OSM_TILES, attr=OSM_ATTRIBUTIE, name="OpenStreetMap", max_zoom=19, show=False
    ).add_to(fmap)
    # Boundaries under the cells: on a canvas an unfilled polygon still catches the mouse
    # inside it, so on top it would hide every cell's tooltip.
    if boundaries:
        _BoundaryLayer(boundaries, "Gemeentegrenzen").add_to(fmap)
    rings = cell_polygons(kaart.cellen, kaart.cell_size)
    if kaart.cellen:
        _CellLayer(kaart, rings, f"Cellen {kaart.cell_size} m").add_to(fmap)
    if kaart.exact and kaart.punten != "[]":
        _HeatMap(kaart.punten, name="Exacte locaties (warmtekaart)", show=False, radius=12).add_to(
            fmap
        )
    if (extent := _extent(rings, boundaries)) is not None:
        _FitBounds(extent, padding=(12, 12)).add_to(fmap)
    _LayerControl(collapsed=True).add_to(fmap)
    _localise(fmap, asset_urls)
    root = fmap.get_root()
    root.render()
    return MapParts(
        _page_header(root.header.render()),
        root.html.render(),
        root.script.render(),
        legend_rows(kaart.k, kaart.exact),
        table_rows(kaart, boundaries, rings),
    )


def _extent(
    rings: np.ndarray, boundaries: list[tuple[str, BaseGeometry]]
) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the cells' rings, else of the boundaries (WGS84)."""
    if rings.size:
        lon, lat = rings[..., 0], rings[..., 1]
    elif boundaries:
        x0, y0, x1, y1 = shapely.total_bounds([g for _n, g in boundaries])
        lat, lon = to_wgs84(np.array([x0, x1, x0, x1]), np.array([y0, y1, y1, y0]))
    else:
        return None
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


# Folium's page-level header pieces: a second viewport tag that forbids zooming, styles that
# make <html> and <body> a full-window map, and an inline script with two Leaflet switches.
_FOLIUM_PAGE_HEADER = [
    re.compile(r"<meta name=\"viewport\"[^>]*>", re.S),
    re.compile(r"<style>\s*html, body \{.*?\}\s*</style>", re.S),
    re.compile(r"<style>\s*#map \{.*?\}\s*</style>", re.S),
    re.compile(r"<script>\s*L_NO_TOUCH = .*?</script>", re.S),
]


def _page_header(header: str) -> str:
    """The folium header without its page-level pieces (our page has its own)."""
    for pattern in _FOLIUM_PAGE_HEADER:
        header, count = pattern.subn("", header)
        if count != 1:
            raise RuntimeError(f"Folium-kop onbekend ({pattern.pattern}): andere folium-versie?")
    return header
