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
"""

import copy
import json
from dataclasses import dataclass
from functools import lru_cache

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.map import Layer
from folium.plugins import HeatMap
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

from gemeenten.boundaries import to_wgs84
from pilot.services.hotspots.export import cell_polygons
from pilot.services.hotspots.gistar import COLDSPOT, HOTSPOT, NIET_SIGNIFICANT
from pilot.services.hotspots.maps import HotspotMap, MapCell

PDOK_GRIJS = (
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
)
PDOK_ATTRIBUTIE = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a>'
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTIE = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'

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
# Count classes (upper bounds) and colours; suppressed cells get their own grey.
KLASSEN = [(9, "#fee5d9"), (24, "#fcae91"), (49, "#fb6a4a"), (99, "#de2d26"), (None, "#a50f15")]
ONDERDRUKT = "#bdbdbd"
RAND = {HOTSPOT: ("#000000", 2.5), COLDSPOT: ("#2166ac", 2.5)}


@dataclass(frozen=True)
class MapParts:
    """Pieces of the folium document to place in our own page template."""

    header: str
    html: str
    script: str

    @property
    def size(self) -> int:
        return len(self.header) + len(self.html) + len(self.script)


GI_KLASSEN = (NIET_SIGNIFICANT, HOTSPOT, COLDSPOT)  # index in the payload
GEWOON_RAND = ("#666666", 0.3)
FIELDS = 6  # numbers per cell in the payload


def cell_payload(cellen: list[MapCell], cell_size: int) -> list[int]:
    """The flat cell array of ``_CellLayer`` (see the module docstring)."""
    if not cellen:
        return []
    rings = cell_polygons(cellen, cell_size)  # [lon, lat], corners SW, SE, NE, NW
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


class _CellLayer(Layer):
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
    var s = c[i] / 1e5, w = c[i + 1] / 1e5, g = c[i + 5];
    var r = L.rectangle([[s, w], [s + c[i + 2] / 1e5, w + c[i + 3] / 1e5]], {
      fillColor: kleur(c[i + 4]), fillOpacity: 0.7, color: d.rand[g], weight: d.dikte[g]});
    r.cel = i;
    group.addLayer(r);
  }
  group.bindTooltip(function (layer) {
    var n = c[layer.cel + 4];
    var shown = n === -1 ? d.onder : (n === -2 ? d.afgeschermd : n);
    return "Incidenten: " + shown + "<br>Gi*: " + d.gi[c[layer.cel + 5]];
  }, {sticky: true});
  return group;
})({{ this.data }});
{% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
{% endmacro %}"""
    )

    def __init__(self, kaart: HotspotMap, name: str):
        super().__init__(name=name, overlay=True, control=True, show=True)
        self._name = "HotspotCellen"  # the JavaScript variable: hotspot_cellen_<id>
        self.fields = FIELDS
        edges = [RAND.get(klasse, GEWOON_RAND) for klasse in GI_KLASSEN]
        self.data = json.dumps(
            {
                "cellen": cell_payload(kaart.cellen, kaart.cell_size),
                "grenzen": [upper for upper, _colour in KLASSEN if upper is not None],
                "kleuren": [colour for _upper, colour in KLASSEN],
                "onderdrukt": ONDERDRUKT,
                "onder": f"<{kaart.k}",
                "afgeschermd": "× (afgeschermd)",
                "rand": [colour for colour, _weight in edges],
                "dikte": [weight for _colour, weight in edges],
                "gi": list(GI_KLASSEN),
            },
            separators=(",", ":"),
        )


class _Legend(MacroElement):
    """The legend, styled by classes in a ``<style>`` of the page head (no inline style
    attributes: the Content-Security-Policy allows styles only with the request's nonce)."""

    _template = Template(
        """{% macro header(this, kwargs) %}<style>
.kaart-legenda{position:absolute;bottom:24px;left:10px;z-index:1000;background:#fff;
 padding:6px 8px;border:1px solid #999;font:12px sans-serif}
.kaart-legenda .vak{display:inline-block;width:14px;height:10px}
.kaart-legenda .hot{border:2px solid #000}.kaart-legenda .cold{border:2px solid #2166ac}
{% for _label, colour in this.rows %}.kaart-legenda .k{{ loop.index }}{background:{{ colour }}}
{% endfor %}</style>{% endmacro %}
{% macro html(this, kwargs) %}
<div class="kaart-legenda">
<strong>Incidenten per cel ({{ this.size }} m)</strong><br>
{% for label, _colour in this.rows %}<span class="vak k{{ loop.index }}"></span> {{ label }}<br>
{% endfor %}<span class="vak hot"></span> Gi*-hotspot<br>
<span class="vak cold"></span> Gi*-coldspot
</div>{% endmacro %}"""
    )

    def __init__(self, size: int, k: int, exact: bool):
        super().__init__()
        lower, self.rows = 1 if exact else k, []
        for upper, colour in KLASSEN:
            self.rows.append((f"{lower}–{upper}" if upper else f"{lower} of meer", colour))
            lower = (upper or 0) + 1
        if not exact:
            self.rows.insert(
                0, (f"minder dan {k}, of × afgeschermd (aantal niet getoond)", ONDERDRUKT)
            )
        self.size = size


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


def _boundaries_geojson(boundaries: list[tuple[str, BaseGeometry]]) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            copy.deepcopy(_boundary_feature(naam, shapely.to_wkb(g))) for naam, g in boundaries
        ],
    }


@lru_cache(maxsize=64)
def _boundary_feature(naam: str, wkb: bytes) -> dict:
    """A boundary simplified at 25 m (in RD) with 5 decimals; boundaries rarely change."""
    simple = shapely.simplify(shapely.from_wkb(wkb), 25)
    wgs = shapely.transform(simple, lambda xy: _swap(to_wgs84(xy[:, 0], xy[:, 1])))
    return {
        "type": "Feature",
        "geometry": shapely.geometry.mapping(shapely.set_precision(wgs, 1e-5)),
        "properties": {"naam": naam},
    }


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
    fmap = folium.Map(location=location, zoom_start=zoom, tiles=None, prefer_canvas=True)
    fmap.get_root().width, fmap.get_root().height = "100%", "70vh"
    folium.TileLayer(
        PDOK_GRIJS, attr=PDOK_ATTRIBUTIE, name="PDOK BRT-Achtergrondkaart grijs", max_zoom=19
    ).add_to(fmap)
    folium.TileLayer(
        OSM, attr=OSM_ATTRIBUTIE, name="OpenStreetMap", max_zoom=19, show=False
    ).add_to(fmap)
    # Boundaries under the cells: on a canvas an unfilled polygon still catches the mouse
    # inside it, so on top it would hide every cell's tooltip.
    if boundaries:
        folium.GeoJson(
            _boundaries_geojson(boundaries),
            name="Gemeentegrenzen",
            style_function=lambda _f: {"color": "#01689b", "weight": 2, "fill": False},
            tooltip=folium.GeoJsonTooltip(fields=["naam"], aliases=["Gemeente"]),
        ).add_to(fmap)
    if kaart.cellen:
        _CellLayer(kaart, f"Cellen {kaart.cell_size} m").add_to(fmap)
    if kaart.exact and kaart.punten:
        HeatMap(kaart.punten, name="Exacte locaties (warmtekaart)", show=False, radius=12).add_to(
            fmap
        )
    _Legend(kaart.cell_size, kaart.k, kaart.exact).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    _localise(fmap, asset_urls)
    root = fmap.get_root()
    root.render()
    return MapParts(root.header.render(), root.html.render(), root.script.render())
