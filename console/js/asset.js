// One asset's page: detail, media and the history timeline (GET detail and history, which a
// reviewer key may read for its own account's assets). While it is Processing it can be decided here.

import { api, ApiError } from './api.js';
import { clear, el, text } from './dom.js';
import { findingsList, mediaFacts, preview } from './media.js';
import { askRejectReason } from './reject.js';

const $ = (id) => document.getElementById(id);

export async function showAsset(assetId) {
  text($('asset-title'), assetId);
  text($('asset-status'), 'Loading…');
  clear($('asset-media'));
  clear($('asset-facts'));
  clear($('asset-history'));
  clear($('asset-actions'));
  let detail;
  try {
    detail = await api.detail(assetId);
  } catch (e) {
    text($('asset-status'), e instanceof ApiError && e.status === 404
      ? `No asset ${assetId} in your account (it may never have existed, or belong to another account).`
      : e instanceof ApiError && e.status === 400 ? `“${assetId}” is not an asset id: ${e.message}`
        : `Could not load the asset: ${e.message}`);
    $('asset-title').focus?.();
    return;
  }
  text($('asset-title'), detail.name || '(no name)');
  text($('asset-status'), '');
  $('asset-media').append(preview(detail, { large: true }));
  const findings = findingsList(detail.findings);
  if (findings) $('asset-media').append(findings);
  const facts = [
    ['Asset id', detail.assetId], ['Status', detail.status], ['Type', detail.assetType],
    ['Error code', detail.errorCode], ['Reason', detail.errorMessage], ['Account', detail.accountId],
    ['Source URL', detail.url], ['Uploaded', detail.createTime && `${detail.createTime} UTC`],
    ['Updated', detail.updateTime && `${detail.updateTime} UTC`], ...mediaFacts(detail.media),
  ].filter(([, v]) => v !== undefined && v !== null && v !== '');
  $('asset-facts').append(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { class: k === 'Source URL' ? 'url' : null }, v)]));
  if (detail.status === 'Processing') actions(detail);
  await history(assetId);
}

async function history(assetId) {
  const list = $('asset-history');
  try {
    const data = await api.history(assetId);
    for (const e of data.events || []) {
      const change = e.change === 'status' ? `${e.from} → ${e.to}`
        : e.change === 'renamed' ? `renamed “${e.fromName ?? ''}” → “${e.toName ?? ''}”`
          : e.change === 'created' ? `created (${e.to})` : `${e.change} (${e.to})`;
      list.append(el('li', { class: `event ${e.change}` },
        el('time', { datetime: String(e.time || '').replace(' ', 'T') + 'Z' }, `${e.time} UTC`),
        el('span', { class: 'change' }, change),
        e.reason ? el('span', { class: 'reason' }, e.reason) : null,
        e.errorCode ? el('span', { class: 'code' }, e.errorCode) : null,
        el('span', { class: 'actor' }, `by ${e.actor}`)));
    }
    if (!list.children.length) list.append(el('li', {}, 'No history.'));
  } catch (e) {
    list.append(el('li', { class: 'error' }, `Could not load the history: ${e.message}`));
  }
}

function actions(detail) {
  const box = $('asset-actions');
  const out = el('p', { class: 'outcome', role: 'status' });
  const approve = el('button', { type: 'button', class: 'approve' }, 'Approve');
  const reject = el('button', { type: 'button', class: 'reject' }, 'Reject…');
  const send = async (decision, reason) => {
    approve.disabled = reject.disabled = true;
    text(out, 'Sending…');
    try {
      const d = await api.decide(detail.assetId, decision, reason);
      text(out, `${decision === 'approve' ? 'Approved' : 'Rejected'} by you (${d.decidedBy}) at ${d.decidedAt} UTC: the next check applies it.`);
    } catch (e) {
      text(out, e instanceof ApiError && e.status === 409
        ? 'Conflict: this asset is not awaiting a decision (someone decided it first, or its review ended).'
        : e instanceof ApiError && e.status === 404 ? 'Conflict: this asset was deleted.' : `Not decided: ${e.message}`);
      if (!(e instanceof ApiError && (e.status === 409 || e.status === 404))) approve.disabled = reject.disabled = false;
    }
  };
  approve.addEventListener('click', () => send('approve'));
  reject.addEventListener('click', async () => {
    const reason = await askRejectReason(`Asset: ${detail.name || detail.assetId}`);
    reject.focus();
    if (reason) send('reject', reason);
  });
  box.append(el('h3', {}, 'Decide'), approve, reject, out);
}
