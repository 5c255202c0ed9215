/* The event form's location: tap the map to fill in latitude and longitude; typing them moves the pin.
   Without JavaScript (or tiles) the two number fields work alone. */
function main() {
  const el = document.getElementById("location-map");
  const lat = document.getElementById("lat");
  const lon = document.getElementById("lon");
  if (!el || !lat || !lon || !window.L) return;
  el.hidden = false;
  const map = L.map(el);
  if (el.dataset.tileUrl) L.tileLayer(el.dataset.tileUrl, { attribution: el.dataset.tileAttribution, maxZoom: 19 }).addTo(map);
  let pin = null;
  const place = (latlng) => {
    if (pin) pin.setLatLng(latlng);
    else pin = L.marker(latlng).addTo(map);
  };
  const typed = () => {
    const a = Number(lat.value), b = Number(lon.value);
    return lat.value !== "" && lon.value !== "" && Math.abs(a) <= 90 && Math.abs(b) <= 180 ? [a, b] : null;
  };
  const start = typed();
  if (start) {
    place(start);
    map.setView(start, 16);
  } else {
    map.setView([Number(el.dataset.lat), Number(el.dataset.lon)], Number(el.dataset.zoom));
  }
  map.on("click", (e) => {
    lat.value = e.latlng.lat.toFixed(6);
    lon.value = e.latlng.lng.toFixed(6);
    place(e.latlng);
  });
  for (const input of [lat, lon]) {
    input.addEventListener("change", () => {
      const at = typed();
      if (at) {
        place(at);
        map.panTo(at);
      }
    });
  }
}

main();
