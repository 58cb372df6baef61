'use client';

import { useEffect } from 'react';

import { flushOutbox } from './check-in-outbox';

/** API reads the service worker keeps for offline use (it answers them network-first). */
const OFFLINE_API =
  /^\/v1\/(auth\/session|markets(\/[^/]+\/(prep-lists|check-ins)\/[^/]+)?|products)$/;

/** Whether the service worker should keep a copy of `url` (scripts, styles, the reads above). */
function isWorthKeeping(href: string): boolean {
  const url = new URL(href, window.location.href);
  if (url.origin !== window.location.origin) return false;
  return url.pathname.startsWith('/_next/static/') || OFFLINE_API.test(url.pathname);
}

/**
 * Same-origin URLs this page already loaded (its HTML, scripts, styles and the API reads above), so
 * the service worker can keep copies of what was fetched before it took control of the page.
 */
function loadedUrls(): string[] {
  const urls = new Set<string>([window.location.href]);
  for (const entry of performance.getEntriesByType('resource')) {
    if (isWorthKeeping(entry.name)) urls.add(entry.name);
  }
  return [...urls];
}

function askWorkerToKeep(worker: ServiceWorker, urls: string[]): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(resolve, 10_000);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      resolve();
    };
    worker.postMessage({ type: 'keep', urls }, [channel.port2]);
  });
}

/**
 * Makes the signed-in app work at the stall: registers the service worker (`/sw.js`), hands it the
 * URLs this page loaded before it was in control, marks `<html data-offline-ready>` once they are
 * kept, and sends queued check-ins on load and whenever the connection comes back. Renders nothing.
 */
export function OfflineSupport() {
  useEffect(() => {
    const onOnline = () => void flushOutbox();
    window.addEventListener('online', onOnline);
    void flushOutbox();

    let cancelled = false;
    let observer: PerformanceObserver | undefined;
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker
        .register('/sw.js', { scope: '/' })
        .then(() => navigator.serviceWorker.ready)
        .then(async (registration) => {
          const worker = registration.active;
          if (worker === null || cancelled) return;
          // Reads still on their way when the worker took over (a prep list being computed) did
          // not pass through it: keep them as they finish.
          if (typeof PerformanceObserver !== 'undefined') {
            observer = new PerformanceObserver((list) => {
              const urls = list
                .getEntries()
                .map((entry) => entry.name)
                .filter(isWorthKeeping);
              if (urls.length > 0) void askWorkerToKeep(worker, urls);
            });
            observer.observe({ type: 'resource' });
          }
          await askWorkerToKeep(worker, loadedUrls());
          if (!cancelled) document.documentElement.dataset.offlineReady = 'true';
        })
        .catch((error: unknown) => {
          // Offline support is an extra: the page works without it.
          console.warn('Service worker registration failed', error);
        });
    }
    return () => {
      cancelled = true;
      observer?.disconnect();
      window.removeEventListener('online', onOnline);
    };
  }, []);
  return null;
}

/** Forgets every offline copy (call on sign-out so the next person on this phone sees nothing). */
export async function clearOfflineData(): Promise<void> {
  if (typeof caches === 'undefined') return;
  const names = await caches.keys();
  await Promise.all(
    names.filter((name) => name.startsWith('marketprep-')).map((name) => caches.delete(name)),
  );
}
