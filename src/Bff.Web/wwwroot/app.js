// The web demo: sign in, dashboard (one aggregate call), sessions, sign out. Plain DOM, no inline script or markup
// built from strings (the page's Content-Security-Policy allows neither), views chosen by the URL fragment.
import { api, ApiError, describe } from './api.js';

const $ = (id) => document.getElementById(id);
const views = ['loading', 'login', 'dashboard', 'sessions'];
const state = { user: null };

function show(view) {
  for (const name of views) $(`view-${name}`).hidden = name !== view;
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', link.dataset.view === view);
  }
  document.body.dataset.view = view;
}

function message(text, kind = 'error') {
  const box = $('message');
  box.textContent = text;
  box.className = `message ${kind}`;
  box.hidden = !text;
}

function clearMessage() { message(''); }

function signedOut(text, kind = 'error') {
  state.user = null;
  state.demoUserId = null;
  $('nav').hidden = true;
  $('who').hidden = true;
  show('login');
  message(text, kind);
  if (!$('login-form').hidden) $('username').focus();
}

/** Runs a gateway call; a 401 means the session is over (expired, revoked elsewhere, signed out). */
async function guarded(work) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && state.user) {
      signedOut('Your session has ended (it expired or was signed out elsewhere). Please sign in again.');
    } else {
      message(describe(error));
    }
    return undefined;
  }
}

function claim(user, type) {
  return user.claims.find((c) => c.type === type)?.value;
}

/** With an identity provider, sign-in is a navigation to it (GET /bff/login); else the password form. */
async function signInMode() {
  try {
    const config = await api('/bff/config');
    const oidc = config?.signIn === 'oidc';
    $('login-oidc').hidden = !oidc;
    $('login-form').hidden = oidc;
  } catch {
    // The form stays.
  }
}

async function start() {
  await signInMode();
  try {
    const user = await api('/bff/user');
    await signedIn(user);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signedOut('', 'info');
    else { show('login'); message(describe(error)); }
  }
}

async function signedIn(user) {
  state.user = user;
  $('who-name').textContent = claim(user, 'name') ?? '';
  $('nav').hidden = false;
  $('who').hidden = false;
  await route();
}

async function route() {
  if (!state.user) return;
  const view = location.hash === '#sessions' ? 'sessions' : 'dashboard';
  show(view);
  if (view === 'sessions') await loadSessions();
  else await loadDashboard();
}

// The gateway takes the customer from the signed-in user's customer_id claim: the page never names a user id.
async function loadDashboard() {
  await guarded(async () => {
    const data = await api('/api/dashboard');
    clearMessage();
    renderDashboard(data);
  });
}

function renderDashboard(data) {
  const user = data['web-me'] ?? {};
  $('profile-name').textContent = user.displayName ?? '—';
  $('profile-username').textContent = user.username ?? '—';
  $('profile-email').textContent = user.email ?? '—';
  $('profile-city').textContent = user.address ? `${user.address.city}, ${user.address.country}` : '—';
  $('profile-since').textContent = user.createdAt ? formatDate(user.createdAt) : '—';

  const orders = data['web-me-orders'];
  fill('orders', orders, (o) => [`#${o.id}`, formatDate(o.createdAt), badge(o.status), money(o.total, o.currency)], 4);
  $('orders-count').textContent = Array.isArray(orders) ? String(orders.length) : '';

  const payments = data['web-me-payments'];
  fill('payments', payments, (p) => [`#${p.id}`, `#${p.orderId}`, p.method, badge(p.status), money(p.amount, p.currency)], 5);
  $('payments-count').textContent = Array.isArray(payments) ? String(payments.length) : '';

  const failed = (data.$errors ?? []).map((e) => `${label(e.key)} (${e.status})`);
  if (failed.length > 0) message(`Some data could not be loaded: ${failed.join(', ')}. The rest is shown.`, 'warning');
}

function label(key) {
  return { 'web-me': 'profile', 'web-me-orders': 'orders', 'web-me-payments': 'payments' }[key] ?? key;
}

function fill(tableId, rows, cells, columns) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren();
  if (!Array.isArray(rows)) {
    body.append(row([text('Not available right now.', 'muted')], columns));
    return;
  }
  if (rows.length === 0) {
    body.append(row([text('None yet.', 'muted')], columns));
    return;
  }
  for (const item of rows) body.append(row(cells(item)));
}

function row(values, span) {
  const tr = document.createElement('tr');
  values.forEach((value, i) => {
    const td = document.createElement('td');
    if (span) td.colSpan = span;
    if (value instanceof Node) td.append(value); else td.textContent = String(value ?? '');
    if (!span && i === values.length - 1 && typeof value === 'string' && /\d/.test(value)) td.className = 'num';
    tr.append(td);
  });
  return tr;
}

function text(value, className) {
  const span = document.createElement('span');
  span.textContent = value;
  if (className) span.className = className;
  return span;
}

function badge(status) {
  return text(status, `badge ${String(status).replace(/[^a-z-]/g, '')}`);
}

function money(amount, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

function formatDate(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

function formatTime(value) {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

async function loadSessions() {
  await guarded(async () => {
    const sessions = await api('/bff/sessions');
    clearMessage();
    const body = document.querySelector('#sessions tbody');
    body.replaceChildren();
    for (const s of sessions) {
      const action = s.current ? text('this browser', 'badge current') : revokeButton(s.id);
      const tr = row([formatTime(s.createdAt), formatTime(s.lastSeenAt), browserName(s.userAgent), s.remoteAddress ?? '—', action]);
      tr.dataset.sessionId = s.id;
      if (s.current) tr.classList.add('current');
      body.append(tr);
    }
  });
}

function revokeButton(id) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'danger';
  button.textContent = 'Sign out';
  button.dataset.revoke = id;
  button.addEventListener('click', async () => {
    button.disabled = true;
    await guarded(async () => {
      await api(`/bff/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
      message('That session was signed out.', 'info');
    });
    if (state.user) await loadSessionsKeepingMessage();
  });
  return button;
}

async function loadSessionsKeepingMessage() {
  const box = $('message');
  const [text, kind] = [box.textContent, box.className.replace('message ', '')];
  await loadSessions();
  if (text && state.user) message(text, kind);
}

function browserName(agent) {
  if (!agent) return 'unknown';
  const match = /(Edg|Firefox|HeadlessChrome|Chrome|Safari)\/([\d.]+)/.exec(agent);
  return match ? `${match[1] === 'Edg' ? 'Edge' : match[1]} ${match[2].split('.')[0]}` : agent.slice(0, 40);
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const submit = $('login-submit');
  submit.disabled = true;
  try {
    await api('/bff/login', { method: 'POST', body: { username: $('username').value, password: $('password').value } });
    $('password').value = '';
    clearMessage();
    await signedIn(await api('/bff/user'));
  } catch (error) {
    message(error instanceof ApiError && error.status === 401
      ? `Sign-in failed. ${error.detail || 'Check your username and password.'}`
      : describe(error));
  } finally {
    submit.disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  try {
    const answer = await api('/bff/logout', { method: 'POST' });
    // A provider session: the provider ends its own session too (RP-initiated logout), then sends the browser back.
    if (answer?.logoutUrl) { window.location.assign(answer.logoutUrl); return; }
    signedOut('You have signed out.', 'info');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) signedOut('You have signed out.', 'info');
    else message(describe(error));
  }
});

$('refresh-dashboard').addEventListener('click', () => loadDashboard());
$('refresh-sessions').addEventListener('click', () => loadSessions());
window.addEventListener('hashchange', () => route());

start();
