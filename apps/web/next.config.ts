import type { NextConfig } from 'next';

const isDev = process.env.NODE_ENV === 'development';
// `npm run build` (the production image) writes a standalone server (`.next/standalone`, run with
// `node`, only the files it needs); `npm start` keeps `next start` on an ordinary build.
const standalone = process.env.MARKETPREP_WEB_STANDALONE === '1';

// Without nonces (which would force every page to render dynamically) Next.js needs inline scripts;
// the policy still pins every fetch, frame, form and base URL to this origin.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ''}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  `connect-src 'self'${isDev ? ' ws: wss:' : ''}`,
  "manifest-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  // Browsers ignore HSTS on plain-http origins (localhost), so this only takes effect behind TLS.
  { key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  ...(standalone ? { output: 'standalone' as const } : {}),
  reactStrictMode: true,
  typedRoutes: false,
  // The contracts package ships TypeScript source (`exports: ./src/index.ts`).
  transpilePackages: ['@marketprep/contracts', '@marketprep/api-client'],
  experimental: {
    // The stylesheet (~8 KB gzip) goes into the HTML instead of a render-blocking request: on a
    // phone with a poor signal that is one round trip less before anything shows, and the page can
    // paint before the scripts start running. (CSP: style-src already allows inline styles.)
    inlineCss: true,
  },
  headers() {
    return Promise.resolve([{ source: '/:path*', headers: securityHeaders }]);
  },
};

export default nextConfig;
