/* global self, caches, fetch, Headers, Response, URL */
/*
 * MarketPrep's service worker: the prep list and the check-in keep working at a stall with no
 * signal. Plain JavaScript, no build step, no library.
 *
 * - Pages (navigations and Next.js RSC requests): network first, the last good copy when offline.
 * - /_next/static/*: cache first (file names carry a content hash, so they never change).
 * - API reads a vendor needs offline (session, markets, products, prep lists, check-ins): network first,
 *   the last good copy when offline, marked with `x-marketprep-cached-at` so the page can say
 *   "offline — showing the list as of …".
 * - Writes and every other API call are never touched: the check-in queue in the page handles them.
 * - `keep` messages: copies of what a page loaded before this worker controlled it, and fresh copies
 *   of the API reads the server rendered the page from (the browser never fetched those itself).
 *
 * Sign-out posts { type: 'clear' } so the next person on the phone finds nothing.
 */
const VERSION = 'v1';
const PAGES = `marketprep-pages-${VERSION}`;
const STATIC = `marketprep-static-${VERSION}`;
const DATA = `marketprep-data-${VERSION}`;
const CACHES = [PAGES, STATIC, DATA];
const CACHED_AT = 'x-marketprep-cached-at';

const OFFLINE_API = [
  // The signed-in shell asks who is signed in before it shows any page.
  /^\/v1\/auth\/session$/,
  /^\/v1\/markets$/,
  /^\/v1\/products$/,
  /^\/v1\/markets\/[^/]+\/prep-lists\/[^/]+$/,
  /^\/v1\/markets\/[^/]+\/check-ins\/[^/]+$/,
];

const OFFLINE_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · MarketPrep</title>
<body style="font-family:system-ui,sans-serif;margin:2rem;color:#1e2a1f;background:#f6f4ee">
<main><h1>You are offline</h1><p>This page has not been opened on this device yet, so there is no
copy to show. Pages you opened before (your prep lists, the check-in) still work offline.</p>
<p><a href="/prep-list" style="color:#2d5e35">Open your prep lists</a></p></main></body></html>`;

self.addEventListener('install', (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith('marketprep-') && !CACHES.includes(name))
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

function isOfflineApi(url) {
  return OFFLINE_API.some((pattern) => pattern.test(url.pathname));
}

function isPage(request, url) {
  return (
    request.mode === 'navigate' ||
    request.headers.get('RSC') === '1' ||
    url.searchParams.has('_rsc')
  );
}

/** A copy of `response` with the time it was stored, so a later offline answer can say "as of". */
async function stamp(response) {
  const headers = new Headers(response.headers);
  headers.set(CACHED_AT, new Date().toISOString());
  const body = await response.blob();
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

async function networkFirst(request, cacheName, { fallback } = {}) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') {
      await cache.put(request, await stamp(response.clone()));
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    if (fallback) return fallback();
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(STATIC);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (url.pathname.startsWith('/_next/static/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (url.pathname.startsWith('/v1/')) {
    if (isOfflineApi(url)) event.respondWith(networkFirst(request, DATA));
    return;
  }
  if (url.pathname.startsWith('/health/') || url.pathname === '/sw.js') return;
  if (isPage(request, url)) {
    event.respondWith(
      networkFirst(request, PAGES, {
        fallback: () =>
          new Response(OFFLINE_PAGE, {
            status: 503,
            headers: { 'content-type': 'text/html; charset=utf-8' },
          }),
      }),
    );
  }
});

/**
 * Keeps copies of URLs the page loaded before this worker controlled it; `fresh` ones (API reads a
 * page was rendered from on the server, which the browser never fetched itself) are fetched again
 * even when a copy exists, so the offline copy is as new as the page.
 */
async function keep(urls, fresh = []) {
  const refresh = new Set(fresh);
  await Promise.all(
    [...new Set([...urls, ...fresh])].map(async (href) => {
      try {
        const url = new URL(href, self.location.origin);
        if (url.origin !== self.location.origin) return;
        const cacheName = url.pathname.startsWith('/_next/static/')
          ? STATIC
          : url.pathname.startsWith('/v1/')
            ? DATA
            : PAGES;
        if (cacheName === DATA && !isOfflineApi(url)) return;
        const cache = await caches.open(cacheName);
        if (!refresh.has(href) && (await cache.match(url.href))) return;
        const response = await fetch(url.href, { credentials: 'same-origin' });
        if (response.ok) {
          await cache.put(url.href, cacheName === STATIC ? response : await stamp(response));
        }
      } catch {
        // best effort: a URL that cannot be fetched now is simply not kept
      }
    }),
  );
}

self.addEventListener('message', (event) => {
  const data = event.data || {};
  const reply = () => event.ports[0] && event.ports[0].postMessage({ done: true });
  if (data.type === 'keep' && Array.isArray(data.urls)) {
    const fresh = Array.isArray(data.fresh) ? data.fresh : [];
    event.waitUntil(keep(data.urls, fresh).then(reply, reply));
  } else if (data.type === 'clear') {
    event.waitUntil(
      caches
        .keys()
        .then((names) =>
          Promise.all(
            names.filter((name) => name.startsWith('marketprep-')).map((n) => caches.delete(n)),
          ),
        )
        .then(reply, reply),
    );
  }
});

/*
 * Alerts by Web Push (issue 19): the worker's deliver-push job sends { title, body, url, tag, kind }
 * encrypted for this browser; show it (one per tag, so a resent alert replaces itself) and open its
 * page when tapped, in a MarketPrep tab already open if there is one.
 */
self.addEventListener('push', (event) => {
  let message = {};
  if (event.data) {
    try {
      message = event.data.json();
    } catch {
      message = { body: event.data.text() };
    }
  }
  const url = typeof message.url === 'string' && message.url.startsWith('/') ? message.url : '/';
  event.waitUntil(
    self.registration.showNotification(message.title || 'MarketPrep', {
      body: message.body || '',
      tag: message.tag || undefined,
      icon: '/icon-192.png',
      badge: '/icon-192.png',
      data: { url, kind: message.kind || null },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || '/', self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        if ('navigate' in open) await open.navigate(target);
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});
