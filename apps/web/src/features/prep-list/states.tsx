/**
 * Loading, error and empty states of the prep-list, check-in and insights screens: the shared
 * components, plus a way back where a wrong market day got the vendor here.
 */
import type { ReactNode } from 'react';

import { ButtonLink } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingSkeleton } from '../../components/loading-skeleton';

/** A busy placeholder with a spoken label. */
export function LoadingBlock({ label, lines = 4 }: { label: string; lines?: number }) {
  return <LoadingSkeleton label={label} lines={lines} />;
}

/** A failure in plain words, with a retry and, where it helps, a way back. */
export function ErrorBlock({
  title,
  error,
  onRetry,
  retrying = false,
  back,
}: {
  title: string;
  error: unknown;
  onRetry?: () => void;
  retrying?: boolean;
  back?: { href: string; label: string };
}) {
  return (
    <div className="mp-error">
      <ErrorState
        title={title}
        error={error}
        retrying={retrying}
        {...(onRetry !== undefined && { onRetry })}
      />
      {back && (
        <ButtonLink href={back.href} variant="secondary">
          {back.label}
        </ButtonLink>
      )}
    </div>
  );
}

/** Nothing to show yet, and what to do about it. */
export function EmptyBlock({ title, children }: { title: string; children: ReactNode }) {
  return <EmptyState title={title}>{children}</EmptyState>;
}
