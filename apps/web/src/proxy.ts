import { NextResponse, type NextRequest } from 'next/server';
import { loadServerEnv } from './env';

// The browser calls /v1/* and /health/* on its own origin and this proxy forwards them to the API,
// so there is no CORS to open and session cookies stay first-party. Resolved per request (not a
// build-time rewrite), so API_URL can change without rebuilding.
const { API_URL } = loadServerEnv();

/** Forwards API paths to the API server. */
export function proxy(request: NextRequest): NextResponse {
  const target = new URL(`${request.nextUrl.pathname}${request.nextUrl.search}`, `${API_URL}/`);
  return NextResponse.rewrite(target);
}

export const config = { matcher: ['/v1/:path*', '/health/:path*'] };
