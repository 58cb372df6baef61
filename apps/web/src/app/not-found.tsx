import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Page not found' };

export default function NotFound() {
  return (
    <main id="main" className="page">
      <section className="empty-state" aria-labelledby="not-found-title">
        <h1 id="not-found-title" className="empty-state__title">
          Page not found
        </h1>
        <p>There is nothing at this address. It may have moved.</p>
        <p>
          <Link href="/" className="button">
            Go to MarketPrep
          </Link>
        </p>
      </section>
    </main>
  );
}
