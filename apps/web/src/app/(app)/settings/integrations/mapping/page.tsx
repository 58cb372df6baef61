import type { Metadata } from 'next';
import { Suspense } from 'react';

import { SquareMappingForm } from '../../../../../features/square/square-mapping-form';

export const metadata: Metadata = { title: 'Match Square · Settings' };

/** Square locations to markets and items to products (`?connected=1` right after connecting). */
export default function SquareMappingPage() {
  return (
    <>
      <div className="page-header">
        <h1>Match Square to your markets and products</h1>
        <p className="page-header__lede">
          So each Square sale counts for the right market and product, and sales from places that
          are not markets never count.
        </p>
      </div>
      <Suspense fallback={null}>
        <SquareMappingForm />
      </Suspense>
    </>
  );
}
