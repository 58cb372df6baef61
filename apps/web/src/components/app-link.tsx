import Link from 'next/link';
import type { ComponentProps } from 'react';

/**
 * `next/link` for links to the signed-in pages, without prefetching. Those pages render per
 * request with the visitor's data and have no loading state to prefetch, so a prefetch would only
 * fetch the route's outline: one request per visible link (the shell alone shows a dozen) and
 * main-thread work while the page starts, for nothing a click does not fetch anyway.
 */
export function AppLink(props: ComponentProps<typeof Link>) {
  return <Link prefetch={false} {...props} />;
}
