/**
 * The dashboard's shell: login, the navigation and a hash router (`#/live`, `#/event/42` …). Each
 * page is a module in pages/ exporting `render(main, params)`, which may return a function that
 * stops what the page started (a live stream, a timer) when another page opens.
 */
import { api, ApiError, setCsrfToken } from './api.js';
import { h, replace } from './dom.js';
import { logIn, renderLogin } from './pages/login.js';

/** The pages in the navigation, in order, and the module that renders each. */
const PAGES = [
  { path: 'live', title: 'Live', load: () => import('./pages/live.js') },
  { path: 'deliveries', title: 'Deliveries', load: () => import('./pages/deliveries.js') },
  { path: 'sinks', title: 'Sinks', load: () => import('./pages/sinks.js') },
  { path: 'subscriptions', title: 'Subscriptions', load: () => import('./pages/subscriptions.js') },
  { path: 'test', title: 'Test', load: () => import('./pages/test.js') },
  { path: 'health', title: 'Health', load: () => import('./pages/health.js') },
  { path: 'streams', title: 'Streams', load: () => import('./pages/streams.js') },
];
/** Pages opened from another page, not from the navigation. */
const HIDDEN_PAGES = [{ path: 'event', title: 'Event', load: () => import('./pages/event.js') }];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const logoutButton = document.getElementById('logout');
let stopPage;

function routeOf(hash) {
  const [path = 'live', ...params] = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const page = [...PAGES, ...HIDDEN_PAGES].find((candidate) => candidate.path === path);
  return page ? { page, params } : { page: PAGES[0], params: [] };
}

async function showPage() {
  stopPage?.();
  stopPage = undefined;
  const { page, params } = routeOf(location.hash);
  document.title = `${page.title} · eventsub-relay`;
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.path === page.path) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  replace(main);
  try {
    const module = await page.load();
    stopPage = (await module.render(main, params)) ?? undefined;
  } catch (failure) {
    if (failure instanceof ApiError && failure.status === 401) return showLogin(failure.message);
    replace(
      main,
      h('h1', {}, page.title),
      h('p', { class: 'error', role: 'alert' }, String(failure.message ?? failure)),
    );
  }
}

function showShell() {
  replace(
    nav,
    h(
      'ul',
      {},
      PAGES.map(({ path, title }) => h('li', {}, h('a', { href: `#/${path}`, dataset: { path } }, title))),
    ),
  );
  nav.hidden = false;
  logoutButton.hidden = false;
  if (!location.hash || location.hash === '#') history.replaceState(null, '', '#/live');
  void showPage();
}

function showLogin(problem) {
  stopPage?.();
  stopPage = undefined;
  nav.hidden = true;
  logoutButton.hidden = true;
  document.title = 'Log in · eventsub-relay';
  renderLogin(main, showShell, problem);
}

logoutButton.addEventListener('click', async () => {
  try {
    await api('/logout', { method: 'POST' });
  } finally {
    showLogin();
  }
});

window.addEventListener('hashchange', () => {
  if (!nav.hidden) void showPage();
});

async function start() {
  // A login link (`eventsub-relay dashboard`): the token is in the fragment, which the browser never
  // sends to a server (so it reaches no log); it is removed from the address bar and history at once.
  const fromLink = /^#token=([^&]+)/.exec(location.hash);
  if (fromLink) {
    history.replaceState(null, '', `${location.pathname}${location.search}#/live`);
    try {
      await logIn(decodeURIComponent(fromLink[1]));
      return showShell();
    } catch (failure) {
      return showLogin(failure.message);
    }
  }
  try {
    const session = await api('/session');
    setCsrfToken(session.csrfToken);
    showShell();
  } catch (failure) {
    showLogin(failure instanceof ApiError && failure.status === 401 ? undefined : failure.message);
  }
}

void start();
