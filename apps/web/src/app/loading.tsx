/** Shown while a route's server part streams in. */
export default function Loading() {
  return (
    <main id="main" className="page">
      <div className="route-loading" aria-busy="true">
        <p className="visually-hidden" role="status">
          Loading…
        </p>
        <span className="skeleton skeleton--title" aria-hidden="true" />
        <span className="skeleton skeleton--line" aria-hidden="true" />
        <span className="skeleton skeleton--line skeleton--short" aria-hidden="true" />
      </div>
    </main>
  );
}
