// The queue: pending assets oldest first, a page at a time, with a live count; deciding one
// asset or the selected ones; j/k/a/r/x/o keys. A decision that loses (409: decided by someone
// else or finished; 404: deleted) stays on its card with what happened, never silently dropped.

import { api, ApiError } from './api.js';
import { age, apiTime, clear, el, text } from './dom.js';
import { findingsList, mediaFacts, preview } from './media.js';
import { askRejectReason } from './reject.js';

const PAGE_SIZE = 25;
const COUNT_PAGE = 100;
const COUNT_CAP = 2000;
const COUNT_EVERY_MS = 15000;

const state = {
  tokens: [null], // tokens[i]: the nextToken that opens page i
  page: 0,
  hasNext: false,
  items: [], // {asset, outcome: null | {kind, message}, busy}
  current: 0,
  selected: new Set(),
  count: null,
  countTimer: null,
  rendered: false,
};

const $ = (id) => document.getElementById(id);

export async function showQueue({ reload = true } = {}) {
  if (reload) await loadPage(state.page);
  startCounting();
}

export function stopQueue() {
  clearInterval(state.countTimer);
  state.countTimer = null;
}

export function resetQueue() {
  stopQueue();
  Object.assign(state, { tokens: [null], page: 0, hasNext: false, items: [], current: 0, selected: new Set(), count: null });
  clear($('queue-list'));
  text($('pending-count'), '');
}

async function loadPage(page) {
  text($('queue-status'), 'Loading…');
  try {
    const data = await api.pending(PAGE_SIZE, state.tokens[page]);
    state.page = page;
    state.items = (data.items || []).map((asset) => ({ asset, outcome: null, busy: false }));
    state.hasNext = Boolean(data.nextToken);
    if (data.nextToken) state.tokens[page + 1] = data.nextToken;
    state.tokens.length = Math.max(page + 2, 1);
    if (!data.nextToken) state.tokens.length = page + 1;
    state.current = 0;
    state.selected.clear();
    render();
    text($('queue-status'), state.items.length ? '' : (page === 0 ? 'Nothing awaits a decision.' : 'No more assets on this page.'));
  } catch (e) {
    text($('queue-status'), `Could not load the queue: ${e.message}`);
    if (e instanceof ApiError && e.status === 401) document.dispatchEvent(new CustomEvent('console:signed-out'));
  }
}

function render() {
  const list = clear($('queue-list'));
  const now = Date.now();
  state.items.forEach((entry, i) => list.append(card(entry, i, now)));
  text($('page-label'), `Page ${state.page + 1}`);
  $('prev-page').disabled = state.page === 0;
  $('next-page').disabled = !state.hasNext;
  updateSelection();
  markCurrent(false);
  if (!state.rendered) {
    state.rendered = true;
    performance.mark('console:queue-rendered'); // read by bench/console-render
  }
}

function card(entry, index, now) {
  const a = entry.asset;
  const nameId = `name-${index}`;
  const facts = [
    ['Type', a.assetType], ['Account', a.accountId], ['Asset id', a.assetId],
    ['Waiting', age(apiTime(a.awaitingSince || a.createTime), now)], ['Uploaded', a.createTime ? `${a.createTime} UTC` : null],
    ...mediaFacts(a.media),
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  const li = el('li', { class: 'card', 'data-asset-id': a.assetId, tabindex: '-1', 'aria-labelledby': nameId },
    el('div', { class: 'select' },
      el('input', { type: 'checkbox', id: `select-${index}`, class: 'select-box', 'aria-label': `Select ${a.name || a.assetId}` })),
    preview(a),
    el('div', { class: 'info' },
      el('h3', { id: nameId, class: a.name ? 'name' : 'name unnamed' }, a.name || '(no name)'),
      el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
      findingsList(a.findings),
      el('p', { class: 'outcome', role: 'status' })),
    el('div', { class: 'actions' },
      el('button', { type: 'button', class: 'approve' }, 'Approve'),
      el('button', { type: 'button', class: 'reject' }, 'Reject…'),
      el('a', { href: `#/asset/${encodeURIComponent(a.assetId)}`, class: 'details' }, 'Details')));
  li.querySelector('.select-box').addEventListener('change', (e) => {
    if (e.target.checked) state.selected.add(a.assetId); else state.selected.delete(a.assetId);
    updateSelection();
  });
  li.querySelector('.approve').addEventListener('click', () => { state.current = index; decide([entry], 'approve'); });
  li.querySelector('.reject').addEventListener('click', () => { state.current = index; reject([entry]); });
  li.addEventListener('focusin', () => { state.current = index; markCurrent(false); });
  showOutcome(li, entry);
  return li;
}

function cardOf(entry) {
  return $('queue-list').querySelector(`li[data-asset-id="${CSS.escape(entry.asset.assetId)}"]`);
}

function showOutcome(li, entry) {
  const out = li.querySelector('.outcome');
  li.classList.toggle('decided', Boolean(entry.outcome && entry.outcome.kind === 'done'));
  li.classList.toggle('conflict', Boolean(entry.outcome && entry.outcome.kind === 'conflict'));
  li.classList.toggle('busy', entry.busy);
  const finished = entry.busy || (entry.outcome && entry.outcome.kind !== 'error');
  li.querySelectorAll('button, .select-box').forEach((b) => { b.disabled = Boolean(finished); });
  text(out, entry.busy ? 'Sending…' : entry.outcome ? entry.outcome.message : '');
}

function updateSelection() {
  const n = state.selected.size;
  text($('selected-count'), `${n} selected`);
  $('approve-selected').disabled = n === 0;
  $('reject-selected').disabled = n === 0;
}

function markCurrent(focus) {
  const cards = $('queue-list').children;
  [...cards].forEach((c, i) => c.classList.toggle('current', i === state.current));
  const c = cards[state.current];
  if (c) {
    c.setAttribute('aria-current', 'true');
    [...cards].forEach((o) => { if (o !== c) o.removeAttribute('aria-current'); });
    if (focus) {
      c.focus();
      c.scrollIntoView({ block: 'nearest' });
    }
  }
}

function targets() {
  const chosen = state.items.filter((e) => state.selected.has(e.asset.assetId) && !e.busy && !settled(e));
  if (chosen.length) return chosen;
  const current = state.items[state.current];
  return current && !current.busy && !settled(current) ? [current] : [];
}

const settled = (e) => e.outcome && e.outcome.kind !== 'error';

async function reject(entries) {
  const live = entries.filter((e) => !e.busy && !settled(e));
  if (!live.length) return;
  const subject = live.length === 1 ? `Asset: ${live[0].asset.name || live[0].asset.assetId}` : `${live.length} selected assets`;
  const returnFocus = document.activeElement;
  const reason = await askRejectReason(subject);
  if (returnFocus && returnFocus.isConnected) returnFocus.focus();
  if (reason) await decide(live, 'reject', reason);
}

async function decide(entries, decision, reason) {
  const live = entries.filter((e) => !e.busy && !settled(e));
  for (const entry of live) {
    entry.busy = true;
    const li = cardOf(entry);
    if (li) showOutcome(li, entry);
  }
  for (const entry of live) {
    const a = entry.asset;
    try {
      const data = await api.decide(a.assetId, decision, reason);
      entry.outcome = { kind: 'done', decision, message: decision === 'approve'
        ? `Approved by you (${data.decidedBy}) at ${data.decidedAt} UTC: it becomes Active on the next check.`
        : `Rejected by you (${data.decidedBy}) at ${data.decidedAt} UTC: “${data.reason}”.` };
      if (state.count !== null) setCount(Math.max(0, state.count - 1), state.countCapped);
    } catch (e) {
      entry.outcome = conflictOrError(e);
    }
    entry.busy = false;
    state.selected.delete(a.assetId);
    const li = cardOf(entry);
    if (li) {
      li.querySelector('.select-box').checked = false;
      showOutcome(li, entry);
    }
  }
  updateSelection();
  const summary = live.map((e) => e.outcome.kind);
  const conflicts = summary.filter((k) => k === 'conflict').length;
  const errors = summary.filter((k) => k === 'error').length;
  text($('queue-status'), `${summary.length - conflicts - errors} decided`
    + (conflicts ? `, ${conflicts} already decided or gone (see the cards)` : '')
    + (errors ? `, ${errors} failed (try again)` : '') + '.');
  moveToNextOpen();
}

function conflictOrError(e) {
  if (e instanceof ApiError && e.status === 409) {
    return { kind: 'conflict', message: 'Conflict: this asset is no longer awaiting a decision — another reviewer decided it first, or its review ended. Open Details to see its history.' };
  }
  if (e instanceof ApiError && e.status === 404) {
    return { kind: 'conflict', message: 'Conflict: this asset was deleted (or is not in your account any more). Nothing was decided.' };
  }
  return { kind: 'error', message: `Not decided: ${e.message}` };
}

function moveToNextOpen() {
  const n = state.items.length;
  for (let step = 0; step < n; step++) {
    const i = (state.current + step) % n;
    if (!settled(state.items[i])) {
      state.current = i;
      markCurrent(true);
      return;
    }
  }
  markCurrent(true);
}

function move(delta) {
  if (!state.items.length) return;
  state.current = Math.min(state.items.length - 1, Math.max(0, state.current + delta));
  markCurrent(true);
}

/** The queue's shortcuts; false when the key is not one of them. */
export function queueKey(key) {
  switch (key) {
    case 'j': move(1); return true;
    case 'k': move(-1); return true;
    case 'a': { const t = targets(); if (t.length) decide(t, 'approve'); return true; }
    case 'r': { const t = targets(); if (t.length) reject(t); return true; }
    case 'x': {
      const c = $('queue-list').children[state.current];
      const box = c && c.querySelector('.select-box');
      if (box && !box.disabled) { box.checked = !box.checked; box.dispatchEvent(new Event('change')); }
      return true;
    }
    case 'o': case 'Enter': {
      const e = state.items[state.current];
      if (e) location.hash = `#/asset/${encodeURIComponent(e.asset.assetId)}`;
      return true;
    }
    default: return false;
  }
}

export function wireQueue() {
  $('prev-page').addEventListener('click', () => loadPage(Math.max(0, state.page - 1)));
  $('next-page').addEventListener('click', () => loadPage(state.page + 1));
  $('refresh').addEventListener('click', () => { state.tokens = [null]; loadPage(0); countPending(); });
  $('approve-selected').addEventListener('click', () => decide(targets(), 'approve'));
  $('reject-selected').addEventListener('click', () => reject(targets()));
}

// The live count: the queue has no count of its own, so the pages are walked (100 a call, up to
// COUNT_CAP) in the background, every COUNT_EVERY_MS, after the first page is on screen.
function startCounting() {
  if (state.countTimer) return;
  countPending();
  state.countTimer = setInterval(countPending, COUNT_EVERY_MS);
}

let counting = false;
async function countPending() {
  if (counting || document.hidden) return;
  counting = true;
  try {
    let n = 0;
    let token = null;
    do {
      const data = await api.pending(COUNT_PAGE, token);
      n += (data.items || []).length;
      token = data.nextToken;
    } while (token && n < COUNT_CAP);
    setCount(n, Boolean(token));
  } catch (e) {
    // the count is a convenience: the queue itself reports errors
  } finally {
    counting = false;
  }
}

function setCount(n, capped) {
  if (state.count === null && !performance.getEntriesByName('console:count-shown').length) {
    performance.mark('console:count-shown'); // read by bench/console-render
  }
  state.count = n;
  state.countCapped = capped;
  text($('pending-count'), `${n}${capped ? '+' : ''} pending`);
}
