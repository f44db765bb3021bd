// Feedback on long work: a form with data-busy="…" shows that text and disables its
// submit button while the server works, so nobody submits twice.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var text = form.getAttribute && form.getAttribute("data-busy");
  if (!text) { return; }
  var button = form.querySelector("button[type=submit], input[type=submit]");
  if (button) { button.disabled = true; }
  var status = form.querySelector(".busy");
  if (!status) {
    status = document.createElement("p");
    status.className = "busy";
    status.setAttribute("role", "status");
    form.appendChild(status);
  }
  status.textContent = text;
});
