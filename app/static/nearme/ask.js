/* "Use my location" on the near-me form: asks the browser (which asks the volunteer) for the
 * position only when tapped, fills the hidden fields and sends the form. Without geolocation
 * the button stays hidden and the postcode does the job. */
function main() {
  var button = document.getElementById("use-location");
  var form = document.getElementById("ask-form");
  if (!button || !form || !navigator.geolocation) return;
  var status = document.getElementById("location-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    if (!form.reportValidity()) return;
    status.textContent = "Finding you…";
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = document.getElementById("ask-lat"), lon = document.getElementById("ask-lon");
      lat.value = position.coords.latitude.toFixed(5);
      lon.value = position.coords.longitude.toFixed(5);
      lat.disabled = lon.disabled = false;
      document.getElementById("postcode").value = "";
      form.submit();
    }, function () {
      status.textContent = "We could not get your location; type your postcode instead.";
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  });
}

main();
