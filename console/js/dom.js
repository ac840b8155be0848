// DOM building with text only: user data (names, URLs, reasons, labels) goes into textContent or
// into attributes that are never interpreted as markup; nothing here uses innerHTML.

/**
 * el('p', {class: 'x', 'aria-label': '...'}, 'text', child, ...). Attribute values are strings
 * set with setAttribute; children are nodes or strings (as text nodes). `on*` keys are refused
 * (use addEventListener): there is no way to make markup or a handler from data.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (/^on/i.test(name)) throw new Error(`el: event attribute ${name} refused`);
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, children);
  return node;
}

export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function text(node, value) {
  node.textContent = value === undefined || value === null ? '' : String(value);
  return node;
}

/** Only http(s) URLs become src/href; anything else (javascript:, data:, junk) is no link at all. */
export function safeUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch (e) {
    return null;
  }
}

/** "2026-03-30 14:21:58" (UTC, as the API writes times) to a Date. */
export function apiTime(value) {
  if (typeof value !== 'string') return null;
  const d = new Date(value.replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? '' : 'Z'));
  return Number.isNaN(d.getTime()) ? null : d;
}

export function age(date, now = Date.now()) {
  if (!date) return '';
  const s = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}
