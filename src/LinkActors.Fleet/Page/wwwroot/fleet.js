// The fleet at a glance: counts, links up over 24 h, and every device in a sortable, filterable table,
// kept current by the service's live feed.
import { NOT_SEEN_HOURS, follow, stateOf, stateBadge, signalBars, duration, ago, el, wireLogout } from './common.js';
import { lineChart } from './charts.js';

const devices = new Map();
let history = [];
let sort = { key: 'id', dir: 1 };
let pending = false;

const $ = id => document.getElementById(id);
const filters = {
  down: $('filter-down'), dead: $('filter-dead'), weak: $('filter-weak'), hours: $('filter-hours'), text: $('filter-text'),
};

function matches(d, now) {
  if (filters.down.checked && !d.down) return false;
  if (filters.dead.checked && !d.deadPath) return false;
  if (filters.weak.checked && !d.weakSignal) return false;
  const hours = parseFloat(filters.hours.value);
  if (!Number.isNaN(hours) && d.lastSeen && now - Date.parse(d.lastSeen) < hours * 3600e3) return false;
  const text = filters.text.value.trim().toLowerCase();
  if (text && !d.id.toLowerCase().includes(text) && !d.tags.some(t => t.toLowerCase().includes(text))) return false;
  return true;
}

const STATE_ORDER = { down: 0, unseen: 1, degraded: 2, up: 3 };

function sortValue(d, key, now) {
  switch (key) {
    case 'tags': return d.tags.join(' ');
    case 'state': return STATE_ORDER[stateOf(d, now)];
    case 'uptime': return d.uptime ?? -1;
    case 'dbm': return d.dbm ?? -999;
    case 'reg': return `${d.reg ?? ''} ${d.op ?? ''}`;
    case 'lastSeen': return d.lastSeen ? Date.parse(d.lastSeen) : 0;
    case 'failure': return d.failure ? d.failure.code : '';
    case 'doctor': return d.doctor ?? '';
    default: return d.id;
  }
}

function compare(a, b, now) {
  const x = sortValue(a, sort.key, now), y = sortValue(b, sort.key, now);
  const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
  return (c || a.id.localeCompare(b.id)) * sort.dir;
}

function row(d, now) {
  const state = stateOf(d, now);
  const uptime = d.down || d.uptime == null ? '—' : duration(d.uptime + (now - Date.parse(d.lastSeen)) / 1000);
  const failure = d.failure ? el('span', {}, el('strong', {}, d.failure.code), `: ${d.failure.text}`) : '—';
  const doctor = d.doctor ? el('span', { class: `severity severity-${(d.severity ?? 'none').toLowerCase()}` },
    d.severity ? el('span', { class: 'tag' }, d.severity) : null, ` ${d.doctor}`) : '—';
  return el('tr', { 'data-id': d.id, 'data-state': state },
    el('th', { scope: 'row' }, el('a', { href: `/device/${encodeURIComponent(d.id)}` }, d.id)),
    el('td', {}, d.tags.join(', ') || '—'),
    el('td', {}, stateBadge(d, now)),
    el('td', {}, uptime),
    el('td', {}, signalBars(d.dbm)),
    el('td', {}, [d.reg, d.op].filter(Boolean).join(' · ') || '—'),
    el('td', { title: d.lastSeen ?? '' }, ago(d.lastSeen, now)),
    el('td', {}, failure),
    el('td', {}, doctor));
}

function render() {
  pending = false;
  const now = Date.now();
  const all = [...devices.values()];
  const counts = { up: 0, degraded: 0, down: 0, unseen: 0 };
  for (const d of all) counts[stateOf(d, now)]++;
  for (const [k, v] of Object.entries(counts)) $(`count-${k}`).textContent = String(v);
  const shown = all.filter(d => matches(d, now)).sort((a, b) => compare(a, b, now));
  $('devices').tBodies[0].replaceChildren(...shown.map(d => row(d, now)));
  $('shown').textContent = `${shown.length} of ${all.length} devices shown`;
  for (const th of document.querySelectorAll('#devices th[data-key]'))
    th.setAttribute('aria-sort', th.dataset.key === sort.key ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none');
}

function later() {
  if (!pending) { pending = true; requestAnimationFrame(render); }
}

function renderHistory() {
  lineChart($('history-chart'), [
    { name: 'up', cls: 'up', points: history.map(p => ({ t: Date.parse(p.at), v: p.up })) },
    { name: 'devices', cls: 'total', points: history.map(p => ({ t: Date.parse(p.at), v: p.total })) },
  ], { height: 120, min: 0 });
}

for (const th of document.querySelectorAll('#devices th[data-key]')) {
  th.querySelector('button').addEventListener('click', () => {
    sort = sort.key === th.dataset.key ? { key: sort.key, dir: -sort.dir } : { key: th.dataset.key, dir: 1 };
    render();
  });
}
$('filters').addEventListener('input', later);
$('filters').addEventListener('reset', () => setTimeout(render));
$('filters').addEventListener('submit', e => e.preventDefault());
$('unseen-hours').textContent = String(NOT_SEEN_HOURS);
wireLogout($('logout'));

follow({
  devices: list => { devices.clear(); for (const d of list.devices) devices.set(d.id, d); render(); },
  device: d => {
    const known = devices.get(d.id);
    if (!known || known.version <= d.version) devices.set(d.id, d);
    later();
  },
  history: h => { history = h.points; renderHistory(); },
  sample: p => { history.push(p); if (history.length > 2000) history.shift(); renderHistory(); },
}, $('live'));
// Ages ("5 min ago") and "not seen" move with the clock, not only with the feed.
setInterval(later, 30_000);
