import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';

import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'MarketPrep', template: '%s · MarketPrep' },
  description: 'How much of each product to bring to each market day.',
  applicationName: 'MarketPrep',
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  // Pinch-zoom stays enabled (no maximumScale): vendors read this outdoors, in the sun.
  themeColor: '#2d5e35',
  colorScheme: 'light',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="top-bar">
          <div className="top-bar__inner">
            <Link href="/" className="brand">
              <span className="brand__mark" aria-hidden="true" />
              MarketPrep
            </Link>
          </div>
        </header>
        <main id="main" className="page" tabIndex={-1}>
          <Providers>{children}</Providers>
        </main>
      </body>
    </html>
  );
}
