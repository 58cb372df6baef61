'use client';

import { useEffect } from 'react';

import './globals.css';

/** Last resort when the root layout itself fails: it replaces the whole document. */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <html lang="en">
      <body>
        <title>Something went wrong · MarketPrep</title>
        <main id="main" className="page">
          <section className="notice notice--error" role="alert">
            <h1 className="notice__title">MarketPrep could not load</h1>
            <p>Please try again in a moment; your data is safe.</p>
            <button type="button" className="button" onClick={retry}>
              Try again
            </button>
          </section>
        </main>
      </body>
    </html>
  );
}
