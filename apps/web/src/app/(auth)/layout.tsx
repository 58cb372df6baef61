import Link from 'next/link';
import type { ReactNode } from 'react';

/** Signed-out screens: the brand and one card, nothing to navigate away to by accident. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="top-bar">
        <div className="top-bar__inner">
          <Link href="/login" className="brand">
            <span className="brand__mark" aria-hidden="true" />
            MarketPrep
          </Link>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
