// board.js - the page of `jerry serve`: renders what the API answers and
// reloads the view whenever the server says the store changed.  Every
// rule stays on the server (the library): the page sends what a person
// asked, with the version it showed, and shows the library's answer.
'use strict';

const token = new URLSearchParams(location.search).get('token') || '';
let shown = null;          // the item the item page shows, to send its version
let loading = 0;           // a load in flight: the newest request wins

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const k of kids.flat()) {
    if (k === null || k === undefined || k === false) continue;
    e.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
  return e;
}

function say(text, kind) {
  const m = document.getElementById('message');
  m.textContent = text;
  m.className = kind || '';
  m.hidden = !text;
}

// "12m left", "expired 3m ago"
function lease(claim, now, stale) {
  const ms = Date.parse(claim.expires_at) - Date.parse(now);
  const span = (v) => {
    const m = Math.round(Math.abs(v) / 60000);
    return m < 60 ? m + 'm' : Math.round(m / 60) + 'h';
  };
  return stale || ms <= 0 ? 'lease expired ' + span(ms) + ' ago' : span(ms) + ' left';
}

function card(it, now) {
  const stale = it.claim_stale === true;
  return el('a', { class: 'card s-' + it.status, href: '#/item/' + it.id, 'data-id': it.id },
    el('div', { class: 'top' }, el('span', {}, it.id), el('span', {}, it.type),
      el('span', { class: 'tag p-' + it.priority }, it.priority)),
    el('div', { class: 'title' }, it.title),
    el('div', {}, (it.labels || []).map((l) => el('span', { class: 'tag' }, l))),
    it.assignee ? el('div', { class: 'who' }, '@ ' + it.assignee) : null,
    it.claim ? el('div', { class: 'claim' + (stale ? ' stale' : '') },
      'held by ' + it.claim.by + ' · ' + lease(it.claim, now, stale)) : null);
}

function query(extra) {
  const p = new URLSearchParams();
  const v = (id) => document.getElementById(id).value.trim();
  if (v('f-q')) p.set('q', v('f-q'));
  if (v('f-label')) p.set('label', v('f-label'));
  if (v('f-type')) p.set('type', v('f-type'));
  if (v('f-assignee')) p.set('assignee', v('f-assignee'));
  if (document.getElementById('f-cancelled').checked) p.set('cancelled', '1');
  for (const [k, val] of Object.entries(extra || {})) p.set(k, val);
  return p.toString();
}

async function get(path) {
  const r = await fetch(path, { cache: 'no-store' });
  const body = await r.json();
  if (body.error) throw body.error;
  return body;
}

async function post(path, body) {
  // What the note and reason fields held when this was sent: only that is
  // cleared when it succeeds, not what a person typed while it was on its
  // way (the page may already show the change, from the server's events).
  const sent = {};
  for (const id of ['a-note', 'a-reason']) {
    const e = document.getElementById(id);
    if (e) sent[id] = e.value;
  }
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Jerry-Token': token },
    body: JSON.stringify(body),
  });
  const answer = await r.json();
  if (answer.error) {
    const e = answer.error;
    let text = e.message + (e.hint ? '\nhint: ' + e.hint : '');
    if (e.code === 'conflict')
      text = 'This page was out of date: ' + text + '\nIt now shows the current state; try again.';
    say(text, e.code === 'conflict' ? 'info' : '');
    await load();
    return null;
  }
  say('');
  for (const id of ['a-note', 'a-reason']) {
    const e = document.getElementById(id);
    if (e && e.value === sent[id]) e.value = '';
  }
  await load();
  return answer.item;
}

function renderBoard(d) {
  const columns = d.columns.map((c) => el('section', { class: 'column', 'data-status': c.status },
    el('h2', {}, c.status.replace('_', ' '), el('span', { class: 'count' }, String(c.total))),
    c.items.map((it) => card(it, d.now)),
    c.total > c.items.length ? el('div', { class: 'more' },
      (c.total - c.items.length) + ' more: narrow with the filters') : null));
  return el('div', { class: 'columns' }, columns);
}

function renderList(d, waiting) {
  if (!d.items.length)
    return el('div', { class: 'empty' }, waiting ? 'Nothing waits.' : 'Nothing is ready.');
  return el('div', { class: 'list' }, d.items.map((it, i) => el('div', {},
    waiting ? null : el('span', { class: 'who' }, (i + 1) + '. '),
    card(it, d.now),
    // What it waits on and, marked blocked, why: the lines `jerry blocked` prints.
    waiting && it.waiting_on && it.waiting_on.length ? el('div', { class: 'waits' },
      'waits on ' + it.waiting_on.map((w) => w.id + ' (' + w.status + ')').join(', ')) : null,
    waiting && it.status === 'blocked' ? el('div', { class: 'waits' },
      'marked blocked' + (it.reason ? ': ' + it.reason : '')) : null)),
    d.total > d.items.length ? el('div', { class: 'more' }, (d.total - d.items.length) + ' more') : null);
}

function links(items) {
  if (!items.length) return el('div', { class: 'empty' }, 'none');
  return el('ul', {}, items.map((x) => el('li', {},
    el('a', { href: '#/item/' + x.id }, x.id), ' ', x.status, ' · ', x.title)));
}

function renderItem(d) {
  const it = d.item;
  shown = it;
  const id = it.id;
  const act = (name, extra) => post('/api/item/' + encodeURIComponent(id) + '/' + name,
    Object.assign({ if_version: it.version }, extra || {}));
  const reason = el('input', { id: 'a-reason', placeholder: 'reason (block, done, cancel)' });
  const r = () => (reason.value.trim() ? { reason: reason.value.trim() } : {});
  const btn = (name, label, extra) => el('button', { id: 'a-' + name, type: 'button',
    onclick: () => act(name, extra ? extra() : undefined) }, label);
  const note = el('textarea', { id: 'a-note', rows: 2, cols: 60, placeholder: 'a note' });
  const title = el('input', { id: 'e-title', value: it.title, size: 50 });
  const prio = el('select', { id: 'e-priority' },
    ['critical', 'high', 'medium', 'low'].map((p) => el('option', { selected: p === it.priority }, p)));
  const labels = el('input', { id: 'e-labels', value: (it.labels || []).join(', '), size: 30 });
  const edit = () => {
    const want = labels.value.split(',').map((s) => s.trim()).filter(Boolean);
    const had = it.labels || [];
    const body = {
      add_labels: want.filter((l) => !had.includes(l)),
      remove_labels: had.filter((l) => !want.includes(l)),
    };
    if (title.value.trim() !== it.title) body.title = title.value.trim();
    if (prio.value !== it.priority) body.priority = prio.value;
    return act('edit', body);
  };
  return el('article', { class: 'item-page', 'data-id': id, 'data-version': String(it.version) },
    el('div', { class: 'top' }, el('a', { href: '#/board' }, '← board')),
    el('h2', {}, id + ' · ' + it.title),
    el('div', {}, el('span', { class: 'tag', id: 'i-status' }, it.status), ' ',
      el('span', { class: 'tag' }, it.type), el('span', { class: 'tag p-' + it.priority }, it.priority),
      (it.labels || []).map((l) => el('span', { class: 'tag' }, l)),
      ' version ' + it.version, it.assignee ? ' · @ ' + it.assignee : '',
      it.parent ? el('span', {}, ' · parent ', el('a', { href: '#/item/' + it.parent }, it.parent)) : null),
    it.claim ? el('div', { class: 'claim' }, 'held by ' + it.claim.by + ' · ' +
      lease(it.claim, d.now, Date.parse(it.claim.expires_at) <= Date.parse(d.now))) : null,
    el('div', { class: 'actions' }, btn('start', 'Start'), btn('block', 'Block', r),
      btn('done', 'Done', r), btn('cancel', 'Cancel', r), btn('reopen', 'Reopen'),
      it.claim ? btn('release', 'Release claim') : null, reason),
    it.description ? el('div', { class: 'desc' }, it.description) : null,
    el('h3', {}, 'Edit'),
    el('div', { class: 'actions' }, title, prio, labels,
      el('button', { id: 'a-edit', type: 'button', onclick: edit }, 'Save')),
    el('h3', {}, 'Notes'),
    el('ul', { class: 'notes' }, (it.notes || []).map((n) =>
      el('li', {}, el('span', { class: 'who' }, n.at + ' ' + n.by + ': '), n.text))),
    el('div', { class: 'actions' }, note, el('button', { id: 'a-note-add', type: 'button',
      onclick: () => note.value.trim() && act('note', { text: note.value.trim() }) }, 'Add note')),
    el('h3', {}, 'Children'), links(it.children || []),
    el('h3', {}, 'Depends on'), links(d.depends_on || []),
    el('h3', {}, 'Dependents'), links(it.dependents || []),
    el('h3', {}, 'History'),
    el('ol', { class: 'history' }, d.history.map((h) => el('li', {},
      el('span', { class: 'who' }, 'v' + h.version + ' ' + h.at + ' ' + (h.by || '') + ' ' + h.op + ': '),
      h.op === 'create' ? 'created' : h.fields.map((f) => f.field + (f.added ? ' +' + f.added : '') +
        (f.from !== undefined && f.from !== null ? ' ' + f.from + ' →' : '') +
        (f.to !== undefined && f.to !== null ? ' ' + f.to : '')).join('; ')))));
}

// A live reload must not take what a person is typing: the note and the
// reason stay while the page shows the same item, the edit fields while it
// is still at the same version (a newer one shows its own values).
let lastRoute = '';
function keepTyped(view, node, r) {
  const key = r.view + ':' + (r.id || '');
  const same = key === lastRoute;
  lastRoute = key;
  if (!same || r.view !== 'item') return;
  const old = view.querySelector('article.item-page');
  const ids = ['a-note', 'a-reason'];
  if (old && old.dataset.version === node.dataset.version) ids.push('e-title', 'e-priority', 'e-labels');
  for (const id of ids) {
    const was = view.querySelector('#' + id);
    const now = node.querySelector('#' + id);
    if (was && now) now.value = was.value;
  }
}

function route() {
  const h = location.hash || '#/board';
  const m = h.match(/^#\/item\/(.+)$/);
  if (m) return { view: 'item', id: decodeURIComponent(m[1]) };
  if (h === '#/ready') return { view: 'ready' };
  if (h === '#/blocked') return { view: 'blocked' };
  return { view: 'board' };
}

async function load() {
  const r = route();
  const mine = ++loading;
  for (const v of ['board', 'ready', 'blocked'])
    document.getElementById('nav-' + v).classList.toggle('current', r.view === v);
  try {
    let d, node;
    if (r.view === 'item') {
      d = await get('/api/item?id=' + encodeURIComponent(r.id));
      node = renderItem(d);
    } else if (r.view === 'ready') {
      d = await get('/api/ready?' + query());
      node = renderList(d, false);
    } else if (r.view === 'blocked') {
      d = await get('/api/blocked');
      node = renderList(d, true);
    } else {
      d = await get('/api/board?' + query());
      node = renderBoard(d);
    }
    if (mine !== loading) return;
    const view = document.getElementById('view');
    keepTyped(view, node, r);
    view.replaceChildren(node);
    view.dataset.stamp = d.stamp;
    view.dataset.view = r.view;
  } catch (e) {
    if (mine === loading) say(e && e.message ? e.message : String(e));
  }
}

function listen() {
  const live = document.getElementById('live');
  const es = new EventSource('/api/events');
  let last = null;
  es.addEventListener('change', (ev) => {
    if (last !== null && ev.data !== last) load();
    else if (last === null && ev.data !== document.getElementById('view').dataset.stamp) load();
    last = ev.data;
  });
  // EventSource reconnects by itself, after the server's "retry:".
  es.onopen = () => { live.textContent = 'live'; live.className = 'live on'; };
  es.onerror = () => { live.textContent = 'reconnecting'; live.className = 'live off'; };
}

document.addEventListener('DOMContentLoaded', () => {
  let timer = null;
  const later = () => { clearTimeout(timer); timer = setTimeout(load, 250); };
  for (const id of ['f-q', 'f-label', 'f-assignee']) document.getElementById(id).addEventListener('input', later);
  for (const id of ['f-type', 'f-cancelled']) document.getElementById(id).addEventListener('change', load);
  document.getElementById('filters').addEventListener('submit', (e) => { e.preventDefault(); load(); });
  document.getElementById('create-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const t = document.getElementById('c-title');
    const labels = document.getElementById('c-labels').value.split(',').map((s) => s.trim()).filter(Boolean);
    const it = await post('/api/create', { title: t.value.trim(), labels,
      type: document.getElementById('c-type').value, priority: document.getElementById('c-priority').value });
    if (it) {
      t.value = '';
      document.getElementById('c-labels').value = '';
      say('created ' + it.id, 'info');
    }
  });
  window.addEventListener('hashchange', () => { say(''); load(); });
  load();
  listen();
});
