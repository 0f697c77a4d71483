// Calls to the gateway. Every call sends X-CSRF: 1 (the gateway refuses session calls without it) and the session
// cookie (same origin; HttpOnly, so this code never sees it). Errors the gateway makes are problem+json: they become
// an ApiError, and describe() turns one into a sentence for people.

export class ApiError extends Error {
  constructor(status, title, detail, retryAfter) {
    super(detail || title || `HTTP ${status}`);
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.retryAfter = retryAfter;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  const headers = { 'X-CSRF': '1', Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'Network error', 'The gateway cannot be reached. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  if (text.length > 0) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data : {};
    throw new ApiError(response.status, problem.title || response.statusText, problem.detail || '',
      response.headers.get('Retry-After'));
  }
  return data;
}

/** A readable message for a failed call: never the raw JSON. */
export function describe(error) {
  if (!(error instanceof ApiError)) return 'Something went wrong in this page. Reload it and try again.';
  const detail = error.detail ? ` ${sentence(error.detail)}` : '';
  switch (error.status) {
    case 0:
      return error.detail;
    case 401:
      return `You are not signed in (401).${detail}`;
    case 403:
      return `You may not do that (403).${detail}`;
    case 429:
      return `Too many requests (429). ${waitText(error.retryAfter)}`;
    case 502:
      return `A backend service is unavailable (502 Bad Gateway).${detail} Try again in a moment.`;
    case 503:
      return `The service is temporarily unavailable (503). ${waitText(error.retryAfter)}`;
    case 504:
      return `A backend service did not answer in time (504 Gateway Timeout).${detail} Try again in a moment.`;
    default:
      return `${error.title || 'Error'} (${error.status}).${detail}`;
  }
}

function waitText(retryAfter) {
  const seconds = Number.parseInt(retryAfter ?? '', 10);
  return Number.isFinite(seconds) ? `Try again in ${seconds} second${seconds === 1 ? '' : 's'}.` : 'Try again later.';
}

function sentence(text) {
  const trimmed = String(text).trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
