/* When a phone sharing its walk sends its position: at most once per interval, and only a
 * position it read since the last send; coordinates rounded to ~1 m (no more than the lead needs). */
export function dueToSend(lastSentAt, readAt, now, intervalMs) {
  if (readAt === null || readAt === undefined) return false;
  if (lastSentAt === null || lastSentAt === undefined) return true;
  return readAt > lastSentAt && now - lastSentAt >= intervalMs;
}

export function payload(coords) {
  var lat = Number(coords && coords.latitude), lon = Number(coords && coords.longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat: Math.round(lat * 1e5) / 1e5, lon: Math.round(lon * 1e5) / 1e5 };
}
