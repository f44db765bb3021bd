/* The hotspot map page: names the map for screen readers, and lets the table below the map
 * ("Toon op kaart") zoom the map to a cell and show its tooltip. */
(function () {
  "use strict";
  var holder = document.querySelector(".kaart");
  if (!holder || !window.L) { return; }
  var element = holder.querySelector(".folium-map");
  var map = element && window[element.id];
  if (!map) { return; }
  element.setAttribute("role", "region");
  var title = document.querySelector("h1");
  element.setAttribute("aria-label", (title ? title.textContent.trim() : "Hotspotkaart") + ": incidenten per cel");
  element.setAttribute("aria-describedby", "kaart-uitleg");

  function cellAt(centre) {
    var found = null;
    map.eachLayer(function (layer) {
      if (!found && layer.cel !== undefined && layer.getBounds().contains(centre)) { found = layer; }
    });
    return found;
  }

  document.querySelectorAll("button.toon-cel").forEach(function (button) {
    button.addEventListener("click", function () {
      var b = button.dataset.bounds.split(",").map(Number);
      var bounds = L.latLngBounds([b[0], b[1]], [b[2], b[3]]);
      map.fitBounds(bounds, { maxZoom: 16, animate: false });
      element.scrollIntoView({ block: "center" });
      element.focus({ preventScroll: true });
      var cell = cellAt(bounds.getCenter());
      if (cell) {
        var group = cell._eventParents && Object.values(cell._eventParents)[0];
        (group || cell).openTooltip(cell, bounds.getCenter());
      }
    });
  });
})();
