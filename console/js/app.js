// The console's entry: sign-in, hash routes (#/queue, #/asset/{id}: the key is never in the URL),
// and the keyboard shortcuts.

import { api, ApiError, session } from './api.js';
import { text } from './dom.js';
import { showAsset } from './asset.js';
import { queueKey, resetQueue, showQueue, stopQueue, wireQueue } from './queue.js';

const $ = (id) => document.getElementById(id);
const VIEWS = ['sign-in', 'queue', 'asset'];

function show(view) {
  VIEWS.forEach((v) => { $(v).hidden = v !== view; });
  $('nav').hidden = view === 'sign-in';
}

async function route() {
  if (!session.key()) {
    stopQueue();
    show('sign-in');
    $('api-key').focus();
    return;
  }
  const match = /^#\/asset\/(.+)$/.exec(location.hash);
  if (match) {
    stopQueue();
    show('asset');
    $('asset-title').setAttribute('tabindex', '-1');
    await showAsset(decodeURIComponent(match[1]));
    $('asset-title').focus();
    return;
  }
  const fromElsewhere = $('queue').hidden;
  show('queue');
  await showQueue({ reload: true });
  if (fromElsewhere) {
    const first = $('queue-list').querySelector('li.current') || $('queue-title');
    if (first === $('queue-title')) first.setAttribute('tabindex', '-1');
    first.focus();
  }
}

async function signIn(event) {
  event.preventDefault();
  const input = $('api-key');
  const key = input.value.trim();
  const error = $('sign-in-error');
  text(error, '');
  if (!key) {
    text(error, 'Paste a reviewer API key.');
    return;
  }
  const button = event.submitter || $('sign-in-form').querySelector('button');
  button.disabled = true;
  try {
    await api.probe(key);
    session.save(key);
    input.value = '';
    if (!location.hash.startsWith('#/')) history.replaceState(null, '', '#/queue');
    await route();
  } catch (e) {
    input.setAttribute('aria-invalid', 'true');
    if (e instanceof ApiError && e.status === 403) {
      text(error, 'This key is not a reviewer key (it is an uploader key): the console needs a key with the role reviewer. Ask for one (api-keys create --role reviewer).');
    } else if (e instanceof ApiError && e.status === 401) {
      text(error, 'This key is not recognised (wrong, revoked or mistyped). Check it and try again.');
    } else {
      text(error, `Sign-in failed: ${e.message}`);
    }
    input.focus();
  } finally {
    button.disabled = false;
  }
}

function signOut() {
  session.clear();
  resetQueue();
  history.replaceState(null, '', location.pathname);
  route();
}

function typing(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  if (document.querySelector('dialog[open]') || typing(event.target)) return;
  if (!session.key()) return;
  if (event.key === '?') {
    event.preventDefault();
    $('help-dialog').showModal();
    $('help-close').focus();
    return;
  }
  if ($('queue').hidden) return;
  // Enter on a link or button keeps its own meaning.
  if (event.key === 'Enter' && event.target.closest('a, button')) return;
  if (queueKey(event.key)) event.preventDefault();
}

function start() {
  $('sign-in-form').addEventListener('submit', signIn);
  $('api-key').addEventListener('input', () => $('api-key').removeAttribute('aria-invalid'));
  $('sign-out').addEventListener('click', signOut);
  $('help-button').addEventListener('click', () => { $('help-dialog').showModal(); $('help-close').focus(); });
  $('lookup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = $('lookup-id').value.trim();
    if (id) location.hash = `#/asset/${encodeURIComponent(id)}`;
  });
  document.addEventListener('keydown', onKey);
  document.addEventListener('console:signed-out', signOut);
  window.addEventListener('hashchange', route);
  wireQueue();
  route();
}

start();
