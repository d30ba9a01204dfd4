import { api, ApiError, setCsrfToken } from '../api.js';
import { h, replace } from '../dom.js';

/** Logs in with the dashboard token; resolves once the session exists. */
export async function logIn(token) {
  const answer = await api('/login', { method: 'POST', body: { token } });
  setCsrfToken(answer.csrfToken);
}

/** The login form; `onLoggedIn` runs after a successful login. */
export function renderLogin(main, onLoggedIn, problem) {
  const error = h('p', { class: 'error', role: 'alert', id: 'login-error' }, problem ?? '');
  const input = h('input', {
    id: 'token',
    name: 'token',
    type: 'password',
    autocomplete: 'current-password',
    required: true,
    'aria-describedby': 'login-help login-error',
  });
  const form = h(
    'form',
    { class: 'card login', onsubmit: submit },
    h('h1', {}, 'Log in'),
    h('label', { for: 'token' }, 'Dashboard token'),
    input,
    h(
      'p',
      { class: 'muted', id: 'login-help' },
      'Run ',
      h('code', {}, 'eventsub-relay dashboard'),
      ' on the relay’s machine for a login link, or paste DASHBOARD_TOKEN (else the file DATA_DIR/dashboard-token).',
    ),
    h('button', { type: 'submit' }, 'Log in'),
    error,
  );
  replace(main, form);
  input.focus();

  async function submit(event) {
    event.preventDefault();
    error.textContent = '';
    try {
      await logIn(input.value);
      input.value = '';
      onLoggedIn();
    } catch (failure) {
      error.textContent = failure instanceof ApiError ? failure.message : String(failure);
    }
  }
}
