/* "Use my location" on a form marked data-locate: asks the browser (which asks the person) for
 * the position only when the button is tapped, fills the form's hidden lat/lon, clears the
 * postcode and sends the form. Without geolocation (or JavaScript) the button stays hidden and the
 * postcode does the job. data-locate="precise" asks for a fresh, GPS-grade fix (a walk starts
 * there); otherwise a rough, recent one does (finding a local team). */
function wire(form) {
  var button = form.querySelector("[data-locate-button]");
  var status = form.querySelector("[data-locate-status]");
  if (!button || !navigator.geolocation) return;
  var precise = form.dataset.locate === "precise";
  button.hidden = false;
  button.addEventListener("click", function () {
    if (!form.reportValidity()) return;
    status.textContent = "Finding you…";
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = form.elements.namedItem("lat"), lon = form.elements.namedItem("lon");
      lat.value = position.coords.latitude.toFixed(5);
      lon.value = position.coords.longitude.toFixed(5);
      lat.disabled = lon.disabled = false;
      form.elements.namedItem("postcode").value = "";
      form.submit();
    }, function () {
      status.textContent = "We could not get your location; type your postcode instead.";
    }, { enableHighAccuracy: precise, timeout: 15000, maximumAge: precise ? 60000 : 600000 });
  });
}

document.querySelectorAll("form[data-locate]").forEach(wire);
