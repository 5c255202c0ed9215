/* The QR code carries the PIN in the URL fragment (#pin=...), which browsers never send to the
 * server or write to its logs; fill it into the form here. */
function main() {
  var match = /(?:^#|&)pin=(\d+)/.exec(window.location.hash || "");
  var field = document.getElementById("pin");
  if (match && field && !field.value) {
    field.value = match[1];
    history.replaceState(null, "", window.location.pathname + window.location.search);
  }
}

main();
