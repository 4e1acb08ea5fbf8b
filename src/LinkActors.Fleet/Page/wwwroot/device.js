// One device in depth: facts, doctor, charts, timeline, and commands followed until the device acknowledges them.
import { follow, stateBadge, signalBars, duration, ago, time, bytes, el, getJson, postJson } from './common.js';
import { lineChart } from './charts.js';

const $ = id => document.getElementById(id);
const id = decodeURIComponent(location.pathname.split('/').pop());
const api = `/api/v1/devices/${encodeURIComponent(id)}`;
let loading = null, again = false;
const following = new Set();

document.title = `${id} · LinkActors fleet`;
$('device-name').textContent = id;

async function load() {
  if (loading) { again = true; return; }
  loading = (async () => {
    try {
      render(await getJson(api));
    } catch (e) {
      $('device-state').textContent = `Could not read the device: ${e.message}`;
    }
  })();
  await loading;
  loading = null;
  if (again) { again = false; load(); }
}

function render(view) {
  const s = view.summary;
  $('device-state').replaceChildren(stateBadge(s), ` · last seen ${ago(s.lastSeen)} · ${s.reports} reports`,
    s.tags.length ? ` · tags: ${s.tags.join(', ')}` : '');
  const select = $('command-link');
  const chosen = select.value;
  select.replaceChildren(el('option', { value: '' }, 'every link'), ...view.links.map(l => el('option', { value: l.name }, l.name)));
  select.value = view.links.some(l => l.name === chosen) ? chosen : '';

  $('links').tBodies[0].replaceChildren(...view.links.map(l => el('tr', {},
    el('th', { scope: 'row' }, l.name),
    el('td', {}, el('span', { class: `badge state-${l.up ? 'up' : 'down'}` }, el('span', { class: 'icon', 'aria-hidden': 'true' }, l.up ? '●' : '✖'), ` ${l.up ? 'up' : 'down'} · ${l.phase}`)),
    el('td', {}, l.local ? `${l.local} → ${l.remote ?? '?'}` : '—'),
    el('td', {}, l.up ? duration(l.uptime) : '—'),
    el('td', {}, signalBars(l.dbm)),
    el('td', {}, [l.reg, l.op, l.tech].filter(Boolean).join(' · ') || '—'),
    el('td', {}, `${bytes(l.txBytes)} / ${bytes(l.rxBytes)}`),
    el('td', {}, String(l.redials)),
    el('td', {}, l.failure ? `${l.failure.code}: ${l.failure.text}` : '—'))));

  const facts = $('facts');
  facts.replaceChildren();
  const fact = (k, v) => facts.append(el('dt', {}, k), el('dd', {}, v));
  if (view.reporter) {
    const r = view.reporter;
    fact('Report budget', `${bytes(r.spent24h)} of ${bytes(r.budget)} spent in the last 24 h${r.slowed ? ' (slowed down to stay within it)' : ''}`);
    fact('Changes dropped while offline', String(r.dropped));
    if (r.watch) fact('Watched closely', r.watch);
  }
  fact('Pending commands', String(s.pendingCommands));

  renderDoctor(view);
  renderCharts(view.samples ?? []);
  renderCommands(view.commands);
  $('timeline').replaceChildren(...view.events.map(e => el('li', { 'data-kind': e.kind },
    el('time', { datetime: e.at }, time(e.at)), ' ',
    el('span', { class: `kind kind-${e.kind}` }, e.kind), ' ',
    e.link && !e.text.startsWith(`${e.link}:`) && !e.text.startsWith(`${e.link} `) ? el('span', { class: 'link' }, `${e.link}: `) : null,
    e.text)));
  if (view.events.length === 0) $('timeline').append(el('li', {}, 'Nothing reported yet.'));
}

function renderDoctor(view) {
  const box = $('doctor');
  box.replaceChildren();
  for (const l of view.links) {
    box.append(el('p', { class: `severity severity-${(l.severity ?? 'none').toLowerCase()}` },
      el('strong', {}, `${l.name}: `), l.severity ? el('span', { class: 'tag' }, l.severity) : null, ` ${l.doctor ?? 'no finding reported'}`));
  }
  // The full explanation comes from the device itself (the "doctor" command), so that reports stay small.
  const last = view.commands.filter(c => c.verb === 'doctor' && c.detail).sort((a, b) => Date.parse(b.queuedAt) - Date.parse(a.queuedAt))[0];
  if (last) {
    box.append(el('h3', {}, `Full explanation (from the device, ${ago(last.finishedAt ?? last.queuedAt)})`));
    const list = el('ul', { class: 'explanation', id: 'doctor-explanation' });
    for (const part of last.detail.split(/\n| \| /).filter(Boolean)) list.append(el('li', {}, part));
    box.append(list);
  } else {
    box.append(el('p', { class: 'hint' }, 'For the doctor\'s full explanation, use "Run doctor": the device answers in its next report.'));
  }
}

function renderCharts(samples) {
  const t = s => Date.parse(s.at);
  const delta = key => samples.map((s, i) => {
    const prev = samples[i - 1];
    const v = prev && s[key] != null && prev[key] != null && s[key] >= prev[key] ? s[key] - prev[key] : null;
    return { t: t(s), v };
  });
  lineChart($('traffic-chart'), [
    { name: 'sent', cls: 'tx', points: delta('txBytes') },
    { name: 'received', cls: 'rx', points: delta('rxBytes') },
  ], { height: 140, min: 0, format: bytes });
  lineChart($('signal-chart'), [{ name: 'signal', cls: 'dbm', points: samples.map(s => ({ t: t(s), v: s.dbm })) }], { height: 140, unit: ' dBm' });
}

const STATE_WORDS = {
  queued: '⏳ queued: waiting for the device\'s next report',
  delivered: '📨 delivered: waiting for the device to acknowledge',
  done: '✔ done: acknowledged by the device',
  failed: '✖ failed (acknowledged by the device)',
  refused: '✖ refused by the device',
};

function renderCommands(commands) {
  const sorted = [...commands].sort((a, b) => Date.parse(b.queuedAt) - Date.parse(a.queuedAt)).slice(0, 20);
  $('commands').tBodies[0].replaceChildren(...sorted.map(c => el('tr', { 'data-command': c.id, 'data-state': c.state },
    el('td', {}, c.verb), el('td', {}, c.link ?? 'every link'),
    el('td', { class: `command-state command-${c.state}` }, STATE_WORDS[c.state] ?? c.state),
    el('td', {}, time(c.queuedAt)), el('td', { class: 'outcome' }, c.detail ?? '—'))));
  if (sorted.length === 0) $('commands').tBodies[0].append(el('tr', {}, el('td', { colspan: '5' }, 'No commands yet.')));
  for (const c of commands) if (following.has(c.id)) showCommand(c);
}

function showCommand(c) {
  const status = $('command-status');
  status.dataset.command = c.id;
  status.dataset.state = c.state;
  status.textContent = `${c.verb}${c.link ? ` on ${c.link}` : ''}: ${STATE_WORDS[c.state] ?? c.state}${c.detail ? ` (${c.detail})` : ''}`;
  if (['done', 'failed', 'refused'].includes(c.state)) following.delete(c.id);
}

async function followCommand(command) {
  following.add(command.id);
  showCommand(command);
  while (following.has(command.id)) {
    await new Promise(r => setTimeout(r, 1000));
    try {
      showCommand(await getJson(`${api}/commands/${encodeURIComponent(command.id)}`));
    } catch (e) {
      $('command-status').textContent = `Could not follow the command: ${e.message}`;
    }
  }
  load();
}

for (const button of document.querySelectorAll('#command-form button[data-verb]')) {
  button.addEventListener('click', async () => {
    const verb = button.dataset.verb;
    const body = { verb, link: $('command-link').value || null };
    if (verb === 'watch-closely') {
      body.seconds = Math.round(parseFloat($('watch-minutes').value) * 60);
      body.interval = Math.round(parseFloat($('watch-interval').value));
    }
    button.disabled = true;
    try {
      followCommand(await postJson(`${api}/commands`, body));
    } catch (e) {
      $('command-status').dataset.state = 'error';
      $('command-status').textContent = `${verb} not queued: ${e.message}`;
    } finally {
      button.disabled = false;
    }
  });
}

follow({ device: d => { if (d.id === id) load(); } }, $('live'));
load();
