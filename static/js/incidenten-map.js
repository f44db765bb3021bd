/* Incident map: click to place the location; the lat/lon fields and the marker follow each
 * other both ways. The form works without this script (the fields are plain inputs).
 *
 * Keyboard: on the focused map Enter or Space puts the marker at the centre (shown as +),
 * the arrow keys then move the marker (Shift: larger steps) instead of the map; the new
 * position is announced. An address chosen in the search (address-search.js) arrives as a
 * "locatie-gekozen" event and zooms the map to it. */
(function () {
  "use strict";
  var element = document.getElementById("kaart");
  if (!element || !window.L) {
    return;
  }
  var latInput = document.getElementById(element.dataset.lat);
  var lonInput = document.getElementById(element.dataset.lon);
  var readonly = element.dataset.readonly === "1";
  var grensData = document.getElementById("grens-data");
  var grens = grensData ? JSON.parse(grensData.textContent || "null") : null;

  var brt = L.tileLayer(
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png",
    { minZoom: 6, maxZoom: 19, attribution: "Kaartgegevens &copy; Kadaster" }
  );
  var osm = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; OpenStreetMap-bijdragers",
  });
  var map = L.map(element, { layers: [brt] });
  L.control.layers({ "BRT-Achtergrondkaart (grijs)": brt, OpenStreetMap: osm }).addTo(map);

  var outline = null;
  if (grens) {
    outline = L.geoJSON(grens, {
      style: { color: "#01689b", weight: 2, fillOpacity: 0.04 },
      interactive: false,
    }).addTo(map);
  }

  var marker = null;

  function parse(input) {
    if (!input || input.value.trim() === "") {
      return NaN;
    }
    return parseFloat(input.value.trim().replace(",", "."));
  }

  function current() {
    var lat = parse(latInput);
    var lon = parse(lonInput);
    if (isNaN(lat) || isNaN(lon) || lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      return null;
    }
    return L.latLng(lat, lon);
  }

  function showMarker(latlng) {
    if (!latlng) {
      if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
      return;
    }
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, { draggable: !readonly, keyboard: false }).addTo(map);
      marker.on("dragend", function () {
        writeFields(marker.getLatLng());
      });
    }
  }

  var status = document.getElementById("kaart-status");
  var announceTimer = null;
  function announce(latlng) {
    if (!status) { return; }
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () {
      status.textContent = "Locatie gezet op breedtegraad " + latlng.lat.toFixed(5).replace(".", ",") +
        ", lengtegraad " + latlng.lng.toFixed(5).replace(".", ",") + ".";
    }, 350);
  }

  function writeFields(latlng) {
    latInput.value = latlng.lat.toFixed(6);
    lonInput.value = latlng.lng.toFixed(6);
    latInput.dispatchEvent(new Event("change", { bubbles: true }));
    announce(latlng);
  }

  var start = current();
  if (start) {
    map.setView(start, 16);
  } else if (outline) {
    map.fitBounds(outline.getBounds(), { padding: [8, 8] });
    if (element.dataset.midden) {  // a point inside the gemeente, for Enter on the map
      map.setView(element.dataset.midden.split(",").map(Number), map.getZoom(), { animate: false });
    }
  } else {
    map.setView([52.15, 5.3], 7);
  }
  showMarker(start);

  if (readonly) {
    return;
  }
  map.on("click", function (event) {
    showMarker(event.latlng);
    writeFields(event.latlng);
  });

  var STEP = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
  element.addEventListener("keydown", function (event) {
    if (event.target !== element || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var latlng = null;
    if (event.key === "Enter" || event.key === " ") {
      latlng = map.getCenter();
    } else if (marker && STEP[event.key]) {
      var size = event.shiftKey ? 50 : 10;
      var point = map.latLngToContainerPoint(marker.getLatLng())
        .add(L.point(STEP[event.key][0] * size, STEP[event.key][1] * size));
      latlng = map.containerPointToLatLng(point);
      if (!map.getBounds().pad(-0.1).contains(latlng)) { map.panTo(latlng, { animate: false }); }
    } else {
      return;  // Leaflet's own keys: arrows pan, + and - zoom
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    showMarker(latlng);
    writeFields(latlng);
  }, true);

  latInput.addEventListener("locatie-gekozen", function () {
    var latlng = current();
    if (latlng) { map.setView(latlng, 17); }
  });
  [latInput, lonInput].forEach(function (input) {
    input.addEventListener("input", function () {
      var latlng = current();
      showMarker(latlng);
      if (latlng && !map.getBounds().contains(latlng)) {
        map.panTo(latlng);
      }
    });
  });
})();
