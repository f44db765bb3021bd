// Page-wide enhancements (the page works without them):
// - the main menu folds away on narrow screens (it is open without JavaScript);
// - an error summary or error message gets the focus, so it is read out first;
// - a table wider than its container becomes a focusable, named region that scrolls.
(function () {
  "use strict";

  var narrow = window.matchMedia("(max-width: 47.99em)");
  var menu = document.querySelector("nav.menu details");
  function fitMenu() {
    if (menu) { menu.open = !narrow.matches; }
  }
  fitMenu();
  if (narrow.addEventListener) { narrow.addEventListener("change", fitMenu); }

  var problem = document.querySelector(".error-summary, .flash-error");
  if (problem) { problem.focus(); }

  function nameOf(wrapper) {
    var caption = wrapper.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var heading = wrapper.previousElementSibling;
    while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
    return heading ? heading.textContent.trim() : "Tabel";
  }
  function fitTables() {
    document.querySelectorAll(".table-scroll").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", nameOf(wrapper) + " (schuift horizontaal)");
      } else if (wrapper.hasAttribute("role")) {
        wrapper.removeAttribute("tabindex");
        wrapper.removeAttribute("role");
        wrapper.removeAttribute("aria-label");
      }
    });
  }
  fitTables();
  window.addEventListener("resize", fitTables);
})();
