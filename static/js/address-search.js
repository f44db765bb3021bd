/* Address search on the incident form: a combobox over the PDOK Locatieserver (asked through
 * the app: /gemeente/<cbs>/incidenten/adressen). Choosing a suggestion fills the lat/lon
 * fields and tells the map ("locatie-gekozen"). "Use my location" where the device has one.
 * Keys in the box: arrows choose, Enter takes, Escape closes. Without JavaScript the block
 * stays hidden and the map and fields work as before. */
(function () {
  "use strict";
  var block = document.querySelector(".adres-zoeken");
  var latInput = document.getElementById("lat");
  var lonInput = document.getElementById("lon");
  if (!block || !latInput || !lonInput || !window.fetch) { return; }
  var input = document.getElementById("adres");
  var list = document.getElementById("adres-lijst");
  var status = document.getElementById("adres-status");
  var url = block.dataset.url;
  var MIN = 3;
  var UNREACHABLE = "De adreszoeker (PDOK Locatieserver) is nu niet bereikbaar. Kies de locatie " +
    "op de kaart of vul breedte- en lengtegraad in.";
  var items = [];
  var active = -1;
  var timer = null;
  var asked = 0;
  block.hidden = false;

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function mark(index) {
    active = index;
    Array.prototype.forEach.call(list.children, function (li, i) {
      li.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", "adres-optie-" + index);
      list.children[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(found) {
    items = found;
    list.textContent = "";
    found.forEach(function (item, i) {
      var li = document.createElement("li");
      li.id = "adres-optie-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.textContent = item.naam;
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });
      li.addEventListener("click", function () { choose(i); });
      list.appendChild(li);
    });
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      say(found.length === 1 ? "1 adres gevonden." : found.length + " adressen gevonden.");
    } else {
      close();
      say("Geen adres gevonden in deze gemeente. Probeer een andere schrijfwijze of kies op de kaart.");
    }
    mark(-1);
  }

  function answer(response) {
    if (response.status === 404) { return { niet: true }; }
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++asked;
    if (query.length < MIN) { close(); say(""); return; }
    say("Zoeken…");
    fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin" })
      .then(answer)
      .then(function (data) { if (ticket === asked) { show(data.suggesties || []); } })
      .catch(function () { if (ticket === asked) { close(); say(UNREACHABLE, true); } });
  }

  function place(lat, lon, text) {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    [latInput, lonInput].forEach(function (field) {
      field.dispatchEvent(new Event("input", { bubbles: true }));
    });
    latInput.dispatchEvent(new Event("locatie-gekozen"));
    say(text);
  }

  function choose(index) {
    var item = items[index];
    if (!item) { return; }
    close();
    input.value = item.naam;
    say("Locatie van " + item.naam + " ophalen…");
    fetch(url + "/" + encodeURIComponent(item.id), { credentials: "same-origin" })
      .then(answer)
      .then(function (data) {
        if (data.niet) { say("Dit adres ligt niet in deze gemeente.", true); return; }
        place(data.lat, data.lon, "Locatie gezet op " + data.naam +
          ". Controleer de plek op de kaart; met de pijltjestoetsen op de kaart verschuift u haar.");
      })
      .catch(function () { say(UNREACHABLE, true); });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(search, 250);
  });
  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && items.length;
    if (event.key === "ArrowDown" && open) {
      event.preventDefault();
      mark((active + 1) % items.length);
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      mark(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();  // never submit the incident form from the search box
      if (open) { choose(active >= 0 ? active : 0); } else { search(); }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", function () { window.setTimeout(close, 150); });

  var own = document.getElementById("mijn-locatie");
  if (own && navigator.geolocation && window.isSecureContext) {
    own.parentNode.hidden = false;
    own.addEventListener("click", function () {
      say("Uw locatie opvragen…");
      navigator.geolocation.getCurrentPosition(
        function (position) {
          place(position.coords.latitude, position.coords.longitude,
            "Locatie gezet op uw huidige plek (nauwkeurig tot ongeveer " +
            Math.round(position.coords.accuracy) + " m). Controleer de plek op de kaart.");
        },
        function () {
          say("Uw locatie is niet beschikbaar (geen toestemming of geen plaatsbepaling). " +
            "Zoek een adres of kies op de kaart.", true);
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
  }
})();
