// Phone bank pages: show "call back at" only for a scheduling outcome, and the sheet's Print button.
// Loaded as a file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
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
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
