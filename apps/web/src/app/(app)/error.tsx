'use client';

import { useEffect } from 'react';

/** A screen of the signed-in app crashed: the shell stays, this says so plainly and offers a retry. */
export default function AppRouteError({ error, retry }: { error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className="notice notice--error" role="alert" aria-labelledby="app-error-title">
      <h1 id="app-error-title" className="notice__title">
        Something went wrong
      </h1>
      <p>This page could not be shown. Please try again; your data is safe.</p>
      <button type="button" className="button" onClick={retry}>
        Try again
      </button>
    </section>
  );
}
