/** Limits of {@link LoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failed attempts allowed per account in the window. */
  perAccount: number;
  /** Failed attempts allowed per client IP in the window (across accounts: credential stuffing). */
  perIp: number;
  windowMs: number;
  now: () => number;
}

/**
 * Counts failed logins per account and per IP in fixed windows; a key over its limit is refused
 * until the window ends. In-process: with several API replicas each keeps its own count, which
 * still bounds guessing per replica (DESIGN.md: the Redis limiter covers the rest).
 */
export class LoginThrottle {
  private readonly counts = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly options: LoginThrottleOptions) {}

  /** Seconds until `email` from `ip` may try again, or 0 when allowed now. */
  retryAfter(email: string, ip: string): number {
    const now = this.options.now();
    let wait = 0;
    for (const [key, limit] of this.keys(email, ip)) {
      const entry = this.counts.get(key);
      if (entry && entry.resetAt > now && entry.count >= limit) {
        wait = Math.max(wait, Math.ceil((entry.resetAt - now) / 1000));
      }
    }
    return wait;
  }

  /** Records a failed attempt. */
  recordFailure(email: string, ip: string): void {
    const now = this.options.now();
    for (const [key] of this.keys(email, ip)) {
      const entry = this.counts.get(key);
      if (!entry || entry.resetAt <= now)
        this.counts.set(key, { count: 1, resetAt: now + this.options.windowMs });
      else entry.count += 1;
    }
    if (this.counts.size > 100_000) this.prune(now);
  }

  /** Clears the account's count after a successful login. */
  recordSuccess(email: string): void {
    this.counts.delete(`account:${email}`);
  }

  private keys(email: string, ip: string): [string, number][] {
    return [
      [`account:${email}`, this.options.perAccount],
      [`ip:${ip}`, this.options.perIp],
    ];
  }

  private prune(now: number) {
    for (const [key, entry] of this.counts) if (entry.resetAt <= now) this.counts.delete(key);
  }
}
