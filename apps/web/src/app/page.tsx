import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';

/** The session cookie the API sets (httpOnly; the server can see whether it is there). */
const SESSION_COOKIE = 'mp_session';

/**
 * `/` has no screen of its own: the dashboard when a session cookie is present, else sign-in. (An
 * expired cookie lands on the dashboard, whose shell then sends the visitor to /login.)
 */
export default async function HomePage(): Promise<never> {
  const jar = await cookies();
  redirect(jar.has(SESSION_COOKIE) ? '/dashboard' : '/login');
}
