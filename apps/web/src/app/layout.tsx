import type { Metadata, Viewport } from 'next';
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
        {/* The header and <main> come from the route groups: (auth) a plain one, (app) the
            signed-in shell with navigation. Pages outside both render their own <main>. */}
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
