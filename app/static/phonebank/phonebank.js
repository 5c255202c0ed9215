// Phone bank pages: show "call back at" only for a scheduling outcome, the sheet's Print button, and
// keep a form on the page when the phone has no signal.
// Loaded as a file: the Content-Security-Policy allows no inline script.
var form = document.getElementById("disposition-form");
if (form) {
  var box = document.getElementById("call-back");
  var input = box && box.querySelector("input");
  var sync = function () {
    var chosen = form.querySelector("input[name=code]:checked");
    var scheduling = !!(chosen && chosen.dataset.schedule === "true");
    if (box) box.classList.toggle("hidden", !scheduling && !(input && input.value));
    if (input) input.required = scheduling;
  };
  form.addEventListener("change", sync);
  sync();
}

// Posting with no signal swaps the call screen for the browser's error page, and what the caller
// chose and typed is gone (these pages are never cached). Unlike the canvasser's outbox there is
// nowhere safe to keep a call's outcome: the claim is the server's. So stay, and say so.
var OFFLINE = "No signal: nothing was sent, and your answers are still here. Press the button again when you have signal.";
document.querySelectorAll("form[method=post]").forEach(function (f) {
  f.addEventListener("submit", function (event) {
    var note = f.querySelector(".offline-note");
    if (navigator.onLine !== false) {
      if (note) note.remove();
      return;
    }
    event.preventDefault();
    if (!note) {
      note = document.createElement("p");
      note.className = "flash error offline-note";
      note.setAttribute("role", "alert");
      f.appendChild(note);
    }
    note.textContent = OFFLINE;
  });
});

document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});

