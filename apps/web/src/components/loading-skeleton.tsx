/** Grey placeholder lines while data loads; announces `label` to screen readers. */
export function LoadingSkeleton({
  label = 'Loading…',
  lines = 3,
  cards = 0,
  className,
}: {
  label?: string;
  /** Text lines to draw (ignored when `cards` > 0). */
  lines?: number;
  /** Draw this many card placeholders instead of lines. */
  cards?: number;
  /** Extra class, e.g. to give placeholders the size of what replaces them (no layout shift). */
  className?: string;
}) {
  return (
    <div className={className ? `route-loading ${className}` : 'route-loading'} aria-busy="true">
      <p className="visually-hidden" role="status">
        {label}
      </p>
      {cards > 0 ? (
        <div className="card-grid" aria-hidden="true">
          {Array.from({ length: cards }, (_, index) => (
            <div key={index} className="card card--skeleton">
              <span className="skeleton skeleton--title" />
              <span className="skeleton skeleton--line" />
              <span className="skeleton skeleton--line skeleton--short" />
            </div>
          ))}
        </div>
      ) : (
        <>
          <span className="skeleton skeleton--title" aria-hidden="true" />
          {Array.from({ length: Math.max(0, lines - 1) }, (_, index) => (
            <span
              key={index}
              className={`skeleton skeleton--line${index % 2 === 1 ? ' skeleton--short' : ''}`}
              aria-hidden="true"
            />
          ))}
        </>
      )}
    </div>
  );
}
