import { SessionsRepository, type DatabaseClient } from '@marketprep/db';
import { parsePayload, type JobHandler } from './job';
import { expireSessionsJob } from './expire-sessions.job';

/** Keeps expired sessions for a day so "signed out because it expired" can still be told apart. */
const GRACE_MS = 24 * 60 * 60 * 1000;

/** Builds the expire-sessions handler; safe to run twice (a second run deletes nothing more). */
export function createExpireSessionsHandler(deps: {
  db: DatabaseClient;
  now: () => Date;
}): JobHandler {
  return async (payload) => {
    parsePayload(expireSessionsJob, payload);
    const before = new Date(deps.now().getTime() - GRACE_MS);
    const deleted = await new SessionsRepository(deps.db.prisma).deleteExpired({ before });
    return { deleted };
  };
}
