// Shared by the fleet page and the device page: the operator API with the session cookie, the CSRF token,
// the live feed, and how a device's state is shown (always as words and an icon, colour only on top).

/** Hours without a report after which a device counts as "not seen" (twice the default heartbeat of 6 h). */
export const NOT_SEEN_HOURS = 12;

let csrf = null;

/** Back to the login page when the session has ended. */
function loginAgain() {
  location.assign('/');
}

export async function getJson(path) {
  const response = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (response.status === 401) { loginAgain(); throw new Error('not logged in'); }
  if (!response.ok) throw new Error(await problem(response));
  return response.json();
}

/** A POST with the session's CSRF token (read once from /api/v1/session, never written into the page). */
export async function postJson(path, body) {
  if (csrf === null) csrf = (await getJson('/api/v1/session')).csrf;
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) { loginAgain(); throw new Error('not logged in'); }
  if (!response.ok) throw new Error(await problem(response));
  return response.status === 204 ? null : response.json();
}

async function problem(response) {
  try {
    const p = await response.json();
    return p.error + (p.hint ? ` (${p.hint})` : '');
  } catch {
    return `HTTP ${response.status}`;
  }
}

export function wireLogout(button) {
  button?.addEventListener('click', async () => {
    try { await postJson('/logout'); } finally { loginAgain(); }
  });
}

/**
 * The live feed (server-sent events). handlers: { devices, device, history, sample }. The browser reconnects
 * by itself; the status line says so, and an ended session goes back to the login page.
 */
export function follow(handlers, status) {
  const source = new EventSource('/api/v1/feed');
  for (const [name, handler] of Object.entries(handlers))
    source.addEventListener(name, e => handler(JSON.parse(e.data)));
  source.addEventListener('open', () => { status.textContent = 'live'; status.dataset.state = 'live'; });
  source.addEventListener('error', async () => {
    status.textContent = 'reconnecting…';
    status.dataset.state = 'reconnecting';
    const r = await fetch('/api/v1/session', { credentials: 'same-origin' }).catch(() => null);
    if (r && r.status === 401) loginAgain();
  });
  return source;
}

/** up, degraded, down or unseen; each with a word and an icon. */
export function stateOf(d, now = Date.now()) {
  if (!d.lastSeen || now - Date.parse(d.lastSeen) > NOT_SEEN_HOURS * 3600e3) return 'unseen';
  if (d.down) return 'down';
  if (d.deadPath || d.weakSignal || d.severity === 'Problem' || d.severity === 'Warning') return 'degraded';
  return 'up';
}

export const STATES = {
  up: { icon: '●', word: 'up' },
  degraded: { icon: '▲', word: 'degraded' },
  down: { icon: '✖', word: 'down' },
  unseen: { icon: '?', word: 'not seen' },
};

/** The state as a badge: icon (hidden from screen readers), word, and the phase and reason in words. */
export function stateBadge(d, now = Date.now()) {
  const state = stateOf(d, now);
  const badge = el('span', { class: `badge state-${state}`, 'data-state': state });
  badge.append(el('span', { class: 'icon', 'aria-hidden': 'true' }, STATES[state].icon), ` ${STATES[state].word}`);
  const why = [];
  if (d.phase && d.phase !== 'Unknown') why.push(d.phase);
  if (d.deadPath) why.push('dead data path');
  if (d.weakSignal) why.push('weak signal');
  if (why.length) badge.append(el('span', { class: 'detail' }, ` · ${why.join(', ')}`));
  return badge;
}

/** 0 to 4 bars from dBm (LTE/NB-IoT RSSI), drawn and said in words. */
export function signalBars(dbm) {
  const bars = dbm == null ? 0 : dbm >= -75 ? 4 : dbm >= -85 ? 3 : dbm >= -95 ? 2 : dbm >= -105 ? 1 : 0;
  const words = dbm == null ? 'unknown' : ['none', 'weak', 'fair', 'good', 'excellent'][bars];
  const wrap = el('span', { class: 'signal', 'data-bars': String(bars) });
  const svg = svgEl('svg', { viewBox: '0 0 20 16', width: '20', height: '16', 'aria-hidden': 'true', class: 'bars' });
  for (let i = 0; i < 4; i++)
    svg.append(svgEl('rect', { x: String(i * 5), y: String(12 - i * 4), width: '4', height: String(4 + i * 4), class: i < bars ? 'on' : 'off' }));
  wrap.append(svg, ` ${dbm == null ? '—' : `${dbm} dBm`} (${words})`);
  return wrap;
}

export function duration(seconds) {
  if (seconds == null) return '—';
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  if (d) return `${d} d ${h} h`;
  if (h) return `${h} h ${m} min`;
  if (m) return `${m} min`;
  return `${s} s`;
}

export function ago(iso, now = Date.now()) {
  if (!iso) return 'never';
  return `${duration((now - Date.parse(iso)) / 1000)} ago`;
}

export function time(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

export function bytes(n) {
  if (n == null) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0, v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${i ? v.toFixed(1) : v} ${units[i]}`;
}

/** An element with attributes and children (text is always text: nothing from a device is parsed as HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) if (v != null) node.setAttribute(k, v);
  node.append(...children.filter(c => c != null));
  return node;
}

export function svgEl(tag, attributes = {}) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  return node;
}
