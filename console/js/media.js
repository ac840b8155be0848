// Previews of the stored copy (previewUrl, else the asset's url), the media facts and the
// automated findings. Field shapes are documented in docs/console.md; both the service's
// camelCase and Rekognition's PascalCase are read, so findings can be passed through as they are.

import { el, safeUrl } from './dom.js';

const pick = (o, ...names) => {
  if (!o || typeof o !== 'object') return undefined;
  for (const n of names) if (o[n] !== undefined && o[n] !== null) return o[n];
  return undefined;
};
const ratio = (v) => (typeof v === 'number' && Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : null);

/** Face boxes: [{left, top, width, height, confidence}] as ratios of the image, from findings. */
export function faceBoxes(findings) {
  const faces = pick(findings, 'faces', 'faceDetails', 'FaceDetails') || [];
  if (!Array.isArray(faces)) return [];
  const boxes = [];
  for (const face of faces) {
    const box = pick(face, 'boundingBox', 'BoundingBox') || face;
    const b = {
      left: ratio(pick(box, 'left', 'Left')), top: ratio(pick(box, 'top', 'Top')),
      width: ratio(pick(box, 'width', 'Width')), height: ratio(pick(box, 'height', 'Height')),
      confidence: pick(face, 'confidence', 'Confidence'),
    };
    if (b.left !== null && b.top !== null && b.width !== null && b.height !== null) boxes.push(b);
  }
  return boxes;
}

/** Labels: [{name, confidence, parent}] from findings (moderation labels included). */
export function labels(findings) {
  const list = pick(findings, 'labels', 'moderationLabels', 'ModerationLabels') || [];
  if (!Array.isArray(list)) return [];
  return list.map((l) => ({
    name: String(pick(l, 'name', 'Name') ?? '?'),
    confidence: pick(l, 'confidence', 'Confidence'),
    parent: pick(l, 'parentName', 'ParentName'),
  }));
}

const percent = (c) => (typeof c === 'number' ? `${c.toFixed(1)} %` : '');

/** The preview element for an asset (or a note that there is none to show). */
export function preview(asset, { large = false } = {}) {
  const src = safeUrl(asset.previewUrl) || safeUrl(asset.url);
  const type = asset.assetType;
  const name = asset.name || asset.assetId;
  if (!src) return el('div', { class: 'preview none' }, 'No preview');
  if (type === 'Video') {
    return el('video', { class: 'preview', src, controls: true, preload: 'metadata', 'aria-label': `Video: ${name}` });
  }
  if (type === 'Audio') {
    return el('audio', { class: 'preview', src, controls: true, preload: 'none', 'aria-label': `Audio: ${name}` });
  }
  if (type === 'Image') {
    const img = el('img', { src, alt: `Image: ${name}`, loading: large ? 'eager' : 'lazy', decoding: 'async' });
    const figure = el('figure', { class: large ? 'preview image large' : 'preview image' }, img);
    const boxes = faceBoxes(asset.findings);
    boxes.forEach((b, i) => {
      const box = el('span', { class: 'face-box', title: `Face ${i + 1} ${percent(b.confidence)}`.trim() },
        el('span', { class: 'face-label' }, `${i + 1}`));
      // CSSOM, not a style attribute: allowed by the CSP's style-src 'self'.
      box.style.left = `${b.left * 100}%`;
      box.style.top = `${b.top * 100}%`;
      box.style.width = `${b.width * 100}%`;
      box.style.height = `${b.height * 100}%`;
      figure.append(box);
    });
    img.addEventListener('error', () => figure.classList.add('broken'), { once: true });
    return figure;
  }
  const link = el('a', { href: src, rel: 'noopener noreferrer', target: '_blank' }, 'Open the document');
  return el('div', { class: 'preview none' }, link);
}

const FACTS = [
  ['contentType', 'Format'], ['width', 'Width', (v) => `${v} px`], ['height', 'Height', (v) => `${v} px`],
  ['durationSeconds', 'Duration', (v) => `${Number(v).toFixed(2)} s`], ['durationMs', 'Duration', (v) => `${(v / 1000).toFixed(2)} s`],
  ['frameRate', 'Frame rate', (v) => `${v} fps`], ['bytes', 'Size', bytes], ['sizeBytes', 'Size', bytes],
  ['codec', 'Codec'], ['sha256', 'SHA-256'],
];

function bytes(v) {
  if (typeof v !== 'number') return String(v);
  if (v < 1024) return `${v} B`;
  if (v < 1024 * 1024) return `${(v / 1024).toFixed(1)} KB`;
  return `${(v / 1024 / 1024).toFixed(1)} MB`;
}

/** [label, text] pairs of the media facts present (known ones first, then any other scalar). */
export function mediaFacts(media) {
  if (!media || typeof media !== 'object') return [];
  const out = [];
  const seen = new Set();
  for (const [key, label, format] of FACTS) {
    if (media[key] !== undefined && media[key] !== null && !seen.has(label)) {
      out.push([label, format ? format(media[key]) : String(media[key])]);
      seen.add(label);
    }
    if (media[key] !== undefined) seen.add(key);
  }
  for (const [key, value] of Object.entries(media)) {
    if (!seen.has(key) && value !== null && ['string', 'number', 'boolean'].includes(typeof value)) out.push([key, String(value)]);
  }
  return out;
}

/** The findings as a small list: labels with confidence, the face count, the deciding rule. */
export function findingsList(findings) {
  if (!findings || typeof findings !== 'object') return null;
  const items = [];
  for (const l of labels(findings)) {
    items.push(el('li', { class: 'label' }, l.parent ? `${l.parent} › ${l.name}` : l.name,
      l.confidence !== undefined ? el('span', { class: 'confidence' }, ` ${percent(l.confidence)}`) : null));
  }
  const faces = faceBoxes(findings);
  const faceList = pick(findings, 'faces', 'faceDetails', 'FaceDetails');
  if (Array.isArray(faceList)) {
    items.push(el('li', { class: 'faces' }, `${faceList.length} face${faceList.length === 1 ? '' : 's'} found`
      + (faces.length ? ` (${faces.map((f, i) => `${i + 1}: ${percent(f.confidence)}`).join(', ')})` : '')));
  }
  const rule = pick(findings, 'rule', 'decidedBy', 'policyRule', 'reason');
  if (typeof rule === 'string') items.push(el('li', { class: 'rule' }, `Rule: ${rule}`));
  if (!items.length) return null;
  return el('ul', { class: 'findings', 'aria-label': 'Automated findings' }, items);
}
