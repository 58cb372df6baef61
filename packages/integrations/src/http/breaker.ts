import type { EventEmitter } from 'node:events';
import CircuitBreaker from 'opossum';
import { ProviderCircuitOpenError, isNonRetryableClientError, type ProviderName } from './errors';

/** Breaker state as shown in metrics and /health/detailed. */
export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** Events a breaker reports, for Prometheus counters and logs. */
export type BreakerEvent =
  'open' | 'halfOpen' | 'close' | 'success' | 'failure' | 'reject' | 'timeout';

/** Breaker tuning; the defaults follow RELIABILITY.md (10 s window, one trial call per 30 s). */
export interface BreakerOptions {
  /** Rolling statistics window in ms. Default 10,000. */
  windowMs?: number;
  /** Buckets in the window. Default 10. */
  windowBuckets?: number;
  /** Failure percentage (over the window) that opens the breaker. Default 50. */
  errorThresholdPercentage?: number;
  /** Calls needed in the window before the breaker may open. Default 5. */
  volumeThreshold?: number;
  /** Time open before a trial call is let through. Default 30,000 ms. */
  resetTimeoutMs?: number;
  /** Upper bound for one protected call, retries included; false = none. Default false. */
  callTimeoutMs?: number | false;
}

/**
 * The minimal breaker the clients and the weather chain depend on; `ProviderBreaker` implements it
 * with opossum, tests or other runtimes can pass anything with the same shape.
 */
export interface CircuitBreakerLike {
  readonly provider: ProviderName;
  readonly state: BreakerState;
  run<T>(task: () => Promise<T>): Promise<T>;
}

type Task = () => Promise<unknown>;

/**
 * An opossum circuit breaker for one provider. Any async call to that provider can run through it,
 * so one breaker sees all the provider's traffic. A non-retryable 4xx (our request was wrong) does
 * not count as a failure; open breakers throw `ProviderCircuitOpenError` without calling.
 */
export class ProviderBreaker implements CircuitBreakerLike {
  readonly provider: ProviderName;
  private readonly breaker: CircuitBreaker<[Task], unknown>;

  constructor(provider: ProviderName, options: BreakerOptions = {}) {
    this.provider = provider;
    this.breaker = new CircuitBreaker<[Task], unknown>((task: Task) => task(), {
      name: provider,
      timeout: options.callTimeoutMs ?? false,
      rollingCountTimeout: options.windowMs ?? 10_000,
      rollingCountBuckets: options.windowBuckets ?? 10,
      errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
      volumeThreshold: options.volumeThreshold ?? 5,
      resetTimeout: options.resetTimeoutMs ?? 30_000,
      errorFilter: (error: unknown) => isNonRetryableClientError(error),
    });
  }

  /** Current state: closed (calls flow), open (fail fast) or halfOpen (next call is the trial). */
  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'halfOpen';
    return 'closed';
  }

  /** Counts over the rolling window (fires, failures, rejects, successes, timeouts). */
  get stats(): { fires: number; failures: number; rejects: number; successes: number } {
    const { fires, failures, rejects, successes } = this.breaker.stats;
    return { fires, failures, rejects, successes };
  }

  /** Runs `task` through the breaker. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    try {
      return (await this.breaker.fire(task)) as T;
    } catch (error) {
      if (isOpossumOpenError(error)) {
        throw new ProviderCircuitOpenError({ provider: this.provider, cause: error });
      }
      throw error;
    }
  }

  /** Subscribes to breaker events (state changes and call outcomes); returns an unsubscribe. */
  on(event: BreakerEvent, listener: (provider: ProviderName) => void): () => void {
    const handler = (): void => listener(this.provider);
    const emitter: EventEmitter = this.breaker;
    emitter.on(event, handler);
    return () => {
      emitter.removeListener(event, handler);
    };
  }

  /** Stops the breaker's timers; call on shutdown. */
  shutdown(): void {
    this.breaker.shutdown();
  }
}

/** One breaker per provider, created on first use with shared options. */
export class BreakerRegistry {
  private readonly breakers = new Map<ProviderName, ProviderBreaker>();

  constructor(private readonly options: BreakerOptions = {}) {}

  /** The breaker for `provider`. */
  get(provider: ProviderName): ProviderBreaker {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = new ProviderBreaker(provider, this.options);
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }

  /** State of every breaker created so far, for metrics and health. */
  states(): Record<string, BreakerState> {
    return Object.fromEntries([...this.breakers].map(([name, breaker]) => [name, breaker.state]));
  }

  /** Shuts every breaker down. */
  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }
}

function isOpossumOpenError(error: unknown): boolean {
  return error instanceof Error && (error as Error & { code?: unknown }).code === 'EOPENBREAKER';
}
