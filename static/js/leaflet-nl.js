/* Leaflet in Dutch: control titles and labels, loaded right after leaflet.js and before any
 * map is made. Also names the layer-control button for screen readers. */
(function () {
  "use strict";
  if (!window.L) { return; }
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
})();
