import { useId, type ReactNode } from 'react';

/** Nothing here yet: say what this place is for and offer the next step. */
export function EmptyState({
  title,
  children,
  action,
  headingLevel = 2,
}: {
  title: string;
  /** One or two sentences on what will appear here and how. */
  children?: ReactNode;
  /** The next step: usually a ButtonLink or Button. */
  action?: ReactNode;
  headingLevel?: 2 | 3;
}) {
  const id = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="empty-state" aria-labelledby={id}>
      <Heading id={id} className="empty-state__title">
        {title}
      </Heading>
      {children ? <div className="empty-state__body">{children}</div> : null}
      {action ? <div className="empty-state__action">{action}</div> : null}
    </section>
  );
}
