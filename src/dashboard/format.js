/** Small formatters the pages share: times, ages, durations. */

/** `14:03:22` for today, else `2026-12-05 14:03:22` (the browser's time zone). */
export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const today = new Date().toDateString() === date.toDateString();
  return today ? time : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/** `45 s`, `12 min`, `3 h 5 min`, `2 d`. */
export function formatAge(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d`;
}

/** The class that colours a delivery status or a sink state. */
export function stateClass(state) {
  if (state === 'delivered' || state === 'healthy') return 'state-ok';
  if (state === 'pending' || state === 'recovering') return 'state-warn';
  return 'state-bad';
}

/** The URL of an event's page. */
export const eventHref = (id) => `#/event/${encodeURIComponent(id)}`;
