'use client';

import { NotificationListSchema, NotificationsMarkedSchema } from '@marketprep/contracts';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';

import { Button } from '../../../../components/button';
import { EmptyState } from '../../../../components/empty-state';
import { ErrorState } from '../../../../components/error-state';
import { LoadingSkeleton } from '../../../../components/loading-skeleton';
import { formatDateInTimeZone } from '../../../../lib/format';
import { apiFetch, describeWriteError } from '../../../../lib/session';

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Every notification, newest first, with read state; mark one or all as read. */
export default function NotificationsPage() {
  const queryClient = useQueryClient();
  const query = useInfiniteQuery({
    queryKey: ['notifications', 'all'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      apiFetch({
        path: `/v1/notifications?limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        schema: NotificationListSchema,
        signal,
      }),
    getNextPageParam: (last) => last.nextCursor,
  });
  const markOne = useMutation({
    mutationFn: (id: string) => apiFetch({ path: `/v1/notifications/${id}/read`, method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const markAll = useMutation({
    mutationFn: () =>
      apiFetch({
        path: '/v1/notifications/read-all',
        method: 'POST',
        schema: NotificationsMarkedSchema,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const items = query.data?.pages.flatMap((page) => page.data) ?? [];
  const writeError = markOne.error ?? markAll.error;

  return (
    <>
      <title>Notifications · MarketPrep</title>
      <div className="page-header">
        <h1>Notifications</h1>
        <p className="page-header__lede">
          Outlook changes for planned market days and problems with your sales sync.
        </p>
      </div>
      {query.isPending ? (
        <LoadingSkeleton label="Loading notifications…" />
      ) : query.data === undefined ? (
        <ErrorState
          title="We could not load your notifications"
          error={query.error}
          onRetry={() => void query.refetch()}
          retrying={query.isFetching}
        />
      ) : items.length === 0 ? (
        <EmptyState title="No notifications">
          <p>
            When the weather or an event changes the outlook of a market day, you will see it here.
          </p>
        </EmptyState>
      ) : (
        <>
          {writeError && (
            <p role="alert" className="field__error">
              {describeWriteError(writeError).message}
            </p>
          )}
          <Button variant="secondary" onClick={() => markAll.mutate()} busy={markAll.isPending}>
            Mark all as read
          </Button>
          <ul className="card-grid section">
            {items.map((item) => (
              <li key={item.id} className="card">
                <div className="section__header">
                  <h2 className="card__title">{item.title}</h2>
                  {item.readAt === null && <span className="badge badge--warn">New</span>}
                </div>
                <p>{item.body}</p>
                <p className="card__meta">
                  {formatDateInTimeZone(new Date(item.createdAt), zone())}
                </p>
                {item.readAt === null && (
                  <Button variant="link" onClick={() => markOne.mutate(item.id)}>
                    Mark as read<span className="visually-hidden">: {item.title}</span>
                  </Button>
                )}
              </li>
            ))}
          </ul>
          {query.hasNextPage && (
            <Button
              variant="secondary"
              onClick={() => void query.fetchNextPage()}
              busy={query.isFetchingNextPage}
              busyLabel="Loading…"
            >
              Show older
            </Button>
          )}
        </>
      )}
    </>
  );
}
