// Follows a background job on its page: polls status.json and updates the live region.
(function () {
  "use strict";
  var box = document.getElementById("taak");
  if (!box) { return; }
  var stand = document.getElementById("taak-stand");
  var balk = document.getElementById("taak-voortgang");
  var resultaat = document.getElementById("taak-resultaat");
  var vervolg = document.getElementById("taak-vervolg");
  var getal = function (n) { return Number(n).toLocaleString("nl-NL"); };

  function toon(s) {
    var tekst;
    if (s.status === "wachtend") {
      tekst = "De taak staat in de wachtrij en begint zo.";
    } else if (s.status === "bezig") {
      tekst = "Bezig" + (s.stap ? ": " + s.stap : "");
      if (s.totaal) { tekst += " — " + getal(s.gedaan) + " van " + getal(s.totaal) + " " + s.eenheid; }
      tekst += ".";
    } else if (s.status === "klaar") {
      tekst = "Klaar. " + (s.melding || "");
    } else {
      tekst = "Mislukt. " + (s.melding || "");
    }
    if (stand.textContent.trim() !== tekst) { stand.textContent = tekst; }
    balk.value = s.procent || 0;
    balk.textContent = (s.procent || 0) + "%";
    balk.hidden = s.klaar;
    resultaat.hidden = !s.resultaat;
    if (s.vervolg) { vervolg.querySelector("a").href = s.vervolg; }
    vervolg.hidden = !s.vervolg;
  }

  function vraag() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (s) { toon(s); if (!s.klaar) { window.setTimeout(vraag, 1000); } })
      .catch(function () { window.setTimeout(vraag, 3000); });
  }
  vraag();
})();
