// The public API, same origin, with the reviewer key as a Bearer token. The key is kept in
// session storage only (this tab), never in a URL, never logged.

const BASE = '/kyyReactApiServer';
const KEY = 'assetlib.reviewerKey';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  save: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

/** An API answer that is not a success: HTTP status, the envelope's code and message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body, key = session.key()) {
  const headers = { Authorization: `Bearer ${key}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
    });
  } catch (e) {
    throw new ApiError(0, null, 'The API cannot be reached: check your connection and try again.');
  }
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    // an empty or non-JSON answer: reported by status below
  }
  const code = json && json.code !== undefined ? Number(json.code) : null;
  if (!response.ok || (code !== null && code !== 0)) {
    const message = (json && (json.msg || json.message)) || `HTTP ${response.status}`;
    throw new ApiError(response.status, code, String(message));
  }
  return json ? json.data : null;
}

export const api = {
  /** Checks a key before it is kept: resolves for a reviewer key, else an ApiError (401/403). */
  probe: (key) => call('GET', '/review/pending?limit=1', undefined, key),
  pending: (limit, nextToken) => call('GET', `/review/pending?limit=${limit}`
    + (nextToken ? `&nextToken=${encodeURIComponent(nextToken)}` : '')),
  decide: (assetId, decision, reason) => call('POST', `/review/${encodeURIComponent(assetId)}`,
    reason ? { decision, reason } : { decision }),
  detail: (assetId) => call('GET', `/kyyVideo2/asset/${encodeURIComponent(assetId)}`),
  history: (assetId) => call('GET', `/kyyVideo2/asset/${encodeURIComponent(assetId)}/history`),
};
