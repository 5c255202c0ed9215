/* A near-me list's live walk, while its volunteer chose to share it: the phone's position goes to
 * the team lead about once a minute, only while this page is open. Nothing is queued offline: a
 * position is only worth anything live. A 409 (sharing stopped elsewhere) stops it here too. */
import { dueToSend, payload } from "./share-rules.js";

function csrf() {
  var meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

function main() {
  var box = document.getElementById("share-walk");
  if (!box || !box.dataset.shareUrl || !navigator.geolocation) return;
  var status = document.getElementById("share-status");
  var intervalMs = 1000 * (Number(box.dataset.interval) || 60);
  var latest = null, readAt = null, lastSentAt = null, stopped = false;
  var watch = navigator.geolocation.watchPosition(function (position) {
    latest = payload(position.coords);
    readAt = Date.now();
    send();
  }, function () {
    if (status) status.textContent = "Your phone is not giving its location.";
  }, { enableHighAccuracy: true, maximumAge: 30000 });

  function send() {
    if (stopped || !latest || !dueToSend(lastSentAt, readAt, Date.now(), intervalMs)) return;
    lastSentAt = Date.now();
    fetch(box.dataset.shareUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: JSON.stringify(latest),
    }).then(function (response) {
      if (response.status === 409) {
        stopped = true;
        navigator.geolocation.clearWatch(watch);
        if (status) status.textContent = "Sharing has stopped.";
      } else if (response.ok && status) {
        status.textContent = "Shared " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".";
      }
    }).catch(function () {
      if (status) status.textContent = "No signal: your lead sees your last shared position.";
    });
  }

  setInterval(send, intervalMs);
}

main();
