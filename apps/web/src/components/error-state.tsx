'use client';

import { useId, type ReactNode } from 'react';

import { canRetryHelp, describeLoadError } from '../lib/api-client';
import { Button } from './button';

/**
 * A failure in plain words with a way out: never the server's message, a request id as a reference
 * when there is one, and a retry when the caller can retry and trying again can help (not for a
 * refusal such as a date that is not a market day: the API would answer the same).
 */
export function ErrorState({
  title,
  error,
  onRetry,
  retrying = false,
  headingLevel = 2,
}: {
  /** What could not be done, e.g. "We could not load your products". */
  title: string;
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
  headingLevel?: 1 | 2 | 3;
}) {
  const id = useId();
  const { message, reference } = describeLoadError(error);
  const Heading = headingLevel === 1 ? 'h1' : headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="notice notice--error" role="alert" aria-labelledby={id}>
      <Heading id={id} className="notice__title">
        {title}
      </Heading>
      <p>{message}</p>
      {reference !== undefined && <p className="notice__reference">Reference: {reference}</p>}
      {onRetry && canRetryHelp(error) ? (
        <Button onClick={onRetry} busy={retrying} busyLabel="Retrying…">
          Retry
        </Button>
      ) : null}
    </section>
  );
}

/** The 403 screen: this account may not open this page (owner-only, admin-only). */
export function ForbiddenState({
  title = 'This page is for owners',
  children,
}: {
  title?: string;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <section className="notice notice--error" role="alert" aria-labelledby={id}>
      <h1 id={id} className="notice__title">
        {title}
      </h1>
      <p>
        {children ??
          'Your account does not have access to this page. Ask the owner of this business if you need it.'}
      </p>
      <p className="notice__reference">Error 403: not allowed</p>
    </section>
  );
}
