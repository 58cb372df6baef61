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

function askWorkerToKeep(worker: ServiceWorker, urls: string[], fresh: string[] = []) {
  return new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(resolve, 10_000);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      resolve();
    };
    worker.postMessage({ type: 'keep', urls, fresh }, [channel.port2]);
  });
}

/** The signed-in shell's own read, kept with every page that works offline. */
const SESSION_READ = '/v1/auth/session';

/**
 * Makes the signed-in app work at the stall: registers the service worker (`/sw.js`), hands it the
 * URLs this page loaded before it was in control and `apiReads` (same-origin API paths the server
 * rendered this page from: the browser did not fetch them, so the worker fetches fresh copies),
 * marks `<html data-offline-ready>` once they are kept, and sends queued check-ins on load and
 * whenever the connection comes back. Renders nothing.
 */
export function OfflineSupport({ apiReads = [] }: { apiReads?: readonly string[] }) {
  const readsKey = apiReads.join('\n');
  useEffect(() => {
    const onOnline = () => void flushOutbox();
    window.addEventListener('online', onOnline);
    void flushOutbox();

    let cancelled = false;
    let observer: PerformanceObserver | undefined;
    // The worker and its copies wait until the page has loaded and the browser is idle, so they do
    // not compete with the page's own start-up on a slow phone (the usual advice for workers).
    const afterLoad = new Promise<void>((resolve) => {
      const idle = () => {
        if ('requestIdleCallback' in window) {
          window.requestIdleCallback(() => resolve(), { timeout: 2_000 });
        } else {
          setTimeout(resolve, 0);
        }
      };
      if (document.readyState === 'complete') idle();
      else window.addEventListener('load', idle, { once: true });
    });
    const start = async () => {
      await afterLoad;
      if (cancelled) return;
      await navigator.serviceWorker.register('/sw.js', { scope: '/' });
      const registration = await navigator.serviceWorker.ready;
      const worker = registration.active;
      if (worker === null || cancelled) return;
      // Reads still on their way when the worker took over (a prep list being computed) did not
      // pass through it: keep them as they finish.
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
      const fresh = [SESSION_READ, ...readsKey.split('\n').filter(Boolean)].map(
        (read) => new URL(read, window.location.href).href,
      );
      await askWorkerToKeep(worker, loadedUrls(), fresh);
      if (!cancelled) document.documentElement.dataset.offlineReady = 'true';
    };
    if ('serviceWorker' in navigator) {
      start().catch((error: unknown) => {
        // Offline support is an extra: the page works without it.
        console.warn('Service worker registration failed', error);
      });
    }
    return () => {
      cancelled = true;
      observer?.disconnect();
      window.removeEventListener('online', onOnline);
    };
  }, [readsKey]);
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
