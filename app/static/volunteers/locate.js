/* "Share my location": fills the hidden lat/lon fields from the browser's position and submits
 * the search, instead of a postcode. Without geolocation (or JavaScript) the button stays hidden. */
function main() {
  var button = document.getElementById("share-location");
  var form = document.getElementById("where-form");
  if (!button || !form || !navigator.geolocation) return;
  var status = document.getElementById("location-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = "Finding you…";
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = document.getElementById("where-lat"), lon = document.getElementById("where-lon");
      lat.value = position.coords.latitude.toFixed(5);
      lon.value = position.coords.longitude.toFixed(5);
      lat.disabled = lon.disabled = false;
      document.getElementById("postcode").value = "";
      form.submit();
    }, function () {
      status.textContent = "We could not get your location; type your postcode instead.";
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
}

main();
