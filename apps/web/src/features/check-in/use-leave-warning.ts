'use client';

import { useEffect } from 'react';

/** What the person is asked before unsaved check-in edits are left behind. */
export const LEAVE_WARNING = 'This check-in has changes that are not saved. Leave and lose them?';

/**
 * Warns before unsaved edits are lost: the browser's own prompt on reload/close (`beforeunload`),
 * and a confirm on any in-app link (the bottom bar, the header) followed while `dirty`. The link
 * click is caught on `document` in the capture phase, before Next's `<Link>` handles it.
 */
export function useLeaveWarning(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older Chromium shows the prompt only when returnValue is set.
      event.returnValue = '';
    };
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0) return;
      const anchor = event.target instanceof Element ? event.target.closest('a[href]') : null;
      if (!(anchor instanceof HTMLAnchorElement)) return;
      const target = new URL(anchor.href, window.location.href);
      // Jumps within the page (the error summary's links) leave nothing behind.
      if (target.pathname === window.location.pathname && target.hash !== '') return;
      if (window.confirm(LEAVE_WARNING)) return;
      event.preventDefault();
      event.stopPropagation();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty]);
}
