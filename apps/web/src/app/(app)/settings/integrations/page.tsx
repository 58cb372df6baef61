import type { Metadata } from 'next';
import { Suspense } from 'react';

import { ConnectResult } from './connect-result';
import { SquarePanel } from './square-panel';

export const metadata: Metadata = { title: 'Square · Settings' };

export default function IntegrationsPage() {
  return (
    <>
      <div className="page-header">
        <h1>Square connection</h1>
        <p className="page-header__lede">Where your sales come from, and how fresh they are.</p>
      </div>
      <Suspense fallback={null}>
        <ConnectResult />
      </Suspense>
      <SquarePanel />
    </>
  );
}
