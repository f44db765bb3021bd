"""Folium rendering of a ``HotspotKaart``: a thin layer, no arithmetic, no Flask.

Folium links Leaflet, jQuery, Bootstrap, Font Awesome … from CDNs; ``_localise`` swaps
every such link for our static files and drops the ones the map does not use, and fails
loudly for a link it does not know (a new folium version), so no page reaches a CDN.
"""

from dataclasses import dataclass

import folium
import numpy as np
import shapely
from branca.element import Element, MacroElement
from folium.plugins import HeatMap
from jinja2 import Template
from shapely.geometry.base import BaseGeometry

from gemeenten.boundaries import to_wgs84
from pilot.services.hotspots import COLDSPOT, HOTSPOT, HotspotKaart, cells_geojson

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


def _colour(count: int | None) -> str:
    if count is None:
        return ONDERDRUKT
    for upper, colour in KLASSEN:
        if upper is None or count <= upper:
            return colour
    return KLASSEN[-1][1]


def _style(feature: dict) -> dict:
    props = feature["properties"]
    edge, weight = RAND.get(props["gi_klasse"], ("#666666", 0.3))
    return {"fillColor": props["kleur"], "fillOpacity": 0.7, "color": edge, "weight": weight}


class _Legend(MacroElement):
    _template = Template(
        """{% macro html(this, kwargs) %}
<div class="kaart-legenda" style="position:absolute;bottom:24px;left:10px;z-index:1000;
 background:#fff;padding:6px 8px;border:1px solid #999;font:12px sans-serif">
<strong>Incidenten per cel ({{ this.size }} m)</strong><br>
{% for label, colour in this.rows %}<span style="display:inline-block;width:14px;height:10px;
background:{{ colour }}"></span> {{ label }}<br>{% endfor %}
<span style="display:inline-block;width:14px;height:10px;border:2px solid #000">
</span> Gi*-hotspot<br>
<span style="display:inline-block;width:14px;height:10px;border:2px solid #2166ac">
</span> Gi*-coldspot
</div>{% endmacro %}"""
    )

    def __init__(self, size: int, k: int, exact: bool):
        super().__init__()
        lower, self.rows = 1 if exact else k, []
        for upper, colour in KLASSEN:
            self.rows.append((f"{lower}–{upper}" if upper else f"{lower} of meer", colour))
            lower = (upper or 0) + 1
        if not exact:
            self.rows.insert(0, (f"minder dan {k} (aantal niet getoond)", ONDERDRUKT))
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
    features = []
    for naam, geometry in boundaries:
        simple = shapely.simplify(geometry, 25)
        wgs = shapely.transform(simple, lambda xy: _swap(to_wgs84(xy[:, 0], xy[:, 1])))
        features.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(shapely.set_precision(wgs, 1e-5)),
                "properties": {"naam": naam},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _swap(latlon):
    lat, lon = latlon
    return np.column_stack([lon, lat])


def render_map(
    kaart: HotspotKaart,
    gemeente_codes: dict[int, str],
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
    folium.TileLayer(OSM, attr=OSM_ATTRIBUTIE, name="OpenStreetMap", max_zoom=19).add_to(fmap)
    collection = cells_geojson(kaart, gemeente_codes)
    for feature in collection["features"]:
        props = feature["properties"]
        props["kleur"] = _colour(props["aantal"])
        props.pop("x_rd"), props.pop("y_rd"), props.pop("celgrootte_m"), props.pop("aantal")
    if collection["features"]:
        folium.GeoJson(
            collection,
            name=f"Cellen {kaart.cell_size} m",
            style_function=_style,
            tooltip=folium.GeoJsonTooltip(
                fields=["label", "gi_klasse"], aliases=["Incidenten", "Gi*"]
            ),
        ).add_to(fmap)
    if boundaries:
        folium.GeoJson(
            _boundaries_geojson(boundaries),
            name="Gemeentegrenzen",
            style_function=lambda _f: {"color": "#01689b", "weight": 2, "fill": False},
            tooltip=folium.GeoJsonTooltip(fields=["naam"], aliases=["Gemeente"]),
        ).add_to(fmap)
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
