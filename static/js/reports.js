// Downloads that take a while: show "Bezig met genereren…" and save the file when it is ready.
// Without JavaScript the forms still work as plain GET downloads.
(function () {
  "use strict";
  var status = document.getElementById("download-status");

  function filename(response) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header);
    return match ? decodeURIComponent(match[1]) : "download";
  }

  // The server answers a wrong choice (for example a period that ends before it starts)
  // with the page and its error message: show that message here, announced and focused.
  function showError(form, text) {
    var box = document.getElementById("download-fout");
    if (!box) {
      box = document.createElement("div");
      box.id = "download-fout";
      box.className = "flash flash-error";
      box.setAttribute("role", "alert");
      box.setAttribute("tabindex", "-1");
    }
    form.parentNode.insertBefore(box, form);
    box.textContent = text;
    box.focus();
    if (document.title.indexOf("Fout: ") !== 0) { document.title = "Fout: " + document.title; }
    status.textContent = "";
  }

  function clearError() {
    var box = document.getElementById("download-fout");
    if (box) { box.remove(); }
    document.title = document.title.replace(/^Fout: /, "");
  }

  function submit(event) {
    var form = event.target;
    var buttons = form.querySelectorAll("button");
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    event.preventDefault();
    buttons.forEach(function (b) { b.disabled = true; });
    clearError();
    status.textContent = "Bezig met genereren… dit kan enkele seconden duren.";
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (response.ok && type.indexOf("text/html") === 0) {
          return response.text().then(function (html) {
            var page = new DOMParser().parseFromString(html, "text/html");
            var message = page.querySelector("main .flash-error, main .error-summary");
            if (message) {
              showError(form, message.textContent.replace(/\s+/g, " ").trim());
            } else {
              window.location = response.url;
            }
          });
        }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.blob().then(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = filename(response);
          document.body.appendChild(link);
          link.click();
          link.remove();
          status.textContent = "Klaar: " + link.download + " is gedownload.";
        });
      })
      .catch(function (error) {
        status.textContent = "Het genereren is mislukt (" + error.message + "). Probeer het opnieuw.";
      })
      .finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  }

  document.querySelectorAll("form[data-download]").forEach(function (form) {
    form.addEventListener("submit", submit);
  });
})();
