/* Leaflet in Dutch: control titles and labels, loaded right after leaflet.js and before any
 * map is made. Also names the layer-control button for screen readers, and blanks dropped
 * tiles with our own empty image: Leaflet's own is a data: URL, which the
 * Content-Security-Policy (img-src without data:) blocks. */
(function () {
  "use strict";
  if (!window.L) { return; }
  var LEEG = new URL("../img/leeg.gif", document.currentScript.src).href;
  L.Control.Zoom.mergeOptions({ zoomInTitle: "Inzoomen", zoomOutTitle: "Uitzoomen" });
  L.Marker.mergeOptions({ alt: "Gekozen locatie" });
  L.Control.Attribution.mergeOptions({
    prefix: '<a href="https://leafletjs.com" lang="en">Leaflet</a>',
  });
  var initLayout = L.Control.Layers.prototype._initLayout;
  L.Control.Layers.include({
    _initLayout: function () {
      initLayout.call(this);
      var link = this._layersLink;
      if (link) {
        link.title = "Kaartlagen kiezen";
        link.setAttribute("aria-label", "Kaartlagen kiezen");
      }
      if (this._section) { this._section.setAttribute("aria-label", "Kaartlagen"); }
    },
  });
  var initPopupLayout = L.Popup.prototype._initLayout;
  L.Popup.include({
    _initLayout: function () {
      initPopupLayout.call(this);
      var close = this._closeButton;
      if (close) { close.setAttribute("aria-label", "Sluiten"); close.title = "Sluiten"; }
    },
  });
  // Leaflet 1.9.4's TileLayer._removeTile and _abortLoading with LEEG for the data: image.
  L.TileLayer.include({
    _removeTile: function (key) {
      var tile = this._tiles[key];
      if (!tile) { return; }
      tile.el.setAttribute("src", LEEG);
      return L.GridLayer.prototype._removeTile.call(this, key);
    },
    _abortLoading: function () {
      for (var key in this._tiles) {
        if (this._tiles[key].coords.z === this._tileZoom) { continue; }
        var tile = this._tiles[key].el;
        tile.onload = L.Util.falseFn;
        tile.onerror = L.Util.falseFn;
        if (!tile.complete) {
          tile.src = LEEG;
          var coords = this._tiles[key].coords;
          L.DomUtil.remove(tile);
          delete this._tiles[key];
          this.fire("tileabort", { tile: tile, coords: coords });
        }
      }
    },
  });
})();
