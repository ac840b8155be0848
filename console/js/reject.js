// The reject dialog: a preset reason plus free text (required for "Other"). Resolves with the
// reason text, or null when cancelled.

import { el, text } from './dom.js';

export const PRESET_REASONS = [
  "A real person's face without a signed release",
  'More faces than the model allows',
  'Explicit or suggestive content',
  'Violent or disturbing content',
  'A minor appears in the media',
  'Unusable media (blurred, cut off, corrupt)',
  'Other',
];
const MAX_REASON = 1000;

let wired = false;

export function askRejectReason(subject) {
  const dialog = document.getElementById('reject-dialog');
  const form = document.getElementById('reject-form');
  const presets = document.getElementById('reject-presets');
  const details = document.getElementById('reject-text');
  const error = document.getElementById('reject-error');
  if (!wired) {
    PRESET_REASONS.forEach((reason, i) => {
      const id = `reject-preset-${i}`;
      presets.append(el('div', { class: 'preset' },
        el('input', { type: 'radio', name: 'preset', id, value: reason }),
        el('label', { for: id }, reason)));
    });
    wired = true;
  }
  text(document.getElementById('reject-subject'), subject);
  text(error, '');
  details.value = '';
  form.reset();
  return new Promise((resolve) => {
    const done = (value) => {
      form.removeEventListener('submit', onSubmit);
      document.getElementById('reject-cancel').removeEventListener('click', onCancel);
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      resolve(value);
    };
    const onSubmit = (event) => {
      event.preventDefault();
      const chosen = form.querySelector('input[name="preset"]:checked');
      const extra = details.value.trim();
      if (!chosen) {
        text(error, 'Choose a reason.');
        presets.querySelector('input').focus();
        return;
      }
      if (chosen.value === 'Other' && !extra) {
        text(error, 'Describe the reason in Details: the uploader sees it.');
        details.focus();
        return;
      }
      const reason = chosen.value === 'Other' ? extra : (extra ? `${chosen.value}: ${extra}` : chosen.value);
      if (reason.length > MAX_REASON) {
        text(error, `The reason has ${reason.length} characters: at most ${MAX_REASON}.`);
        return;
      }
      done(reason);
    };
    const onCancel = (event) => {
      event.preventDefault();
      done(null);
    };
    form.addEventListener('submit', onSubmit);
    document.getElementById('reject-cancel').addEventListener('click', onCancel);
    dialog.addEventListener('cancel', onCancel);
    dialog.showModal();
    presets.querySelector('input').focus();
  });
}
