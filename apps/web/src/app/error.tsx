'use client';

import { useEffect } from 'react';

/** A route crashed while rendering: say so plainly and offer a retry; details go to the console. */
export default function RouteError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);

  return (
    <main id="main" className="page">
      <section className="notice notice--error" role="alert" aria-labelledby="route-error-title">
        <h1 id="route-error-title" className="notice__title">
          Something went wrong
        </h1>
        <p>This page could not be shown. Please try again; your data is safe.</p>
        <button type="button" className="button" onClick={retry}>
          Try again
        </button>
      </section>
    </main>
  );
}
