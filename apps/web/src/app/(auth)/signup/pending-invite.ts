/**
 * The invitation a sign-up started from (`/signup?invite=`), kept in this tab's sessionStorage
 * until the emailed link is confirmed here; the confirmation then opens the invitation to accept.
 * The invitation token stays in the browser: the sign-up request stores no secret in clear.
 */
export const PENDING_INVITE_KEY = 'marketprep.pending-invite';
