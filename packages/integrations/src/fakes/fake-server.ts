import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a fake answers: normally, or with one of the provider failures we must survive. */
export type FakeMode = 'ok' | 'slow' | 'error500' | 'rateLimited' | 'reset' | 'hang' | 'malformed';

/** Every mode, for loops in tests. */
export const FAKE_MODES: readonly FakeMode[] = [
  'ok',
  'slow',
  'error500',
  'rateLimited',
  'reset',
  'hang',
  'malformed',
];

/** Settings for `setMode`. */
export interface FakeModeOptions {
  /** `slow`: delay before answering normally. Default 2,000 ms. */
  delayMs?: number;
  /** `rateLimited`: the Retry-After header, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Apply the mode to this many requests, then go back to `ok`. Default: until changed. */
  times?: number;
}

/** A request as the fake saw it, for assertions (User-Agent, parameters). */
export interface FakeRequestRecord {
  method: string;
  path: string;
  query: Record<string, string>;
  userAgent: string | undefined;
  mode: FakeMode;
}

/** What a route handler returns in `ok` mode. */
export interface FakeResponse {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  /** Answer after this many milliseconds (a provider's normal latency), in `ok` mode. */
  delayMs?: number;
}

/** A route handler; `baseUrl` lets it build links back to the fake. */
export type FakeHandler = (request: FakeHandlerRequest) => FakeResponse;

/** What a route handler sees: the URL, plus method, headers and raw body for POST routes. */
export interface FakeHandlerRequest {
  url: URL;
  baseUrl: string;
  method?: string;
  headers?: Record<string, string | string[] | undefined>;
  /** The raw request body (empty for GET). */
  body?: string;
}

/** The control surface every provider fake offers. */
export interface FakeProvider {
  readonly name: string;
  /** `http://127.0.0.1:<port>`; throws before `start()`. */
  readonly baseUrl: string;
  readonly mode: FakeMode;
  /** Requests served since start or the last `resetCounters()`. */
  readonly requestCount: number;
  readonly requests: readonly FakeRequestRecord[];
  start(): Promise<string>;
  stop(): Promise<void>;
  setMode(mode: FakeMode, options?: FakeModeOptions): void;
  resetCounters(): void;
}

const MAX_RECORDS = 1_000;

/**
 * A local HTTP server (127.0.0.1, port 0) that serves a provider's routes and can be switched at
 * run time into a failure mode. `errorBody` gives the provider's own 500 body.
 */
export class FakeHttpServer implements FakeProvider {
  readonly name: string;
  private server: Server | undefined;
  private url: string | undefined;
  private currentMode: FakeMode = 'ok';
  private modeOptions: FakeModeOptions = {};
  private remaining: number | undefined;
  private count = 0;
  private records: FakeRequestRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    name: string,
    private readonly handler: FakeHandler,
    private readonly errorBody: (status: number) => FakeResponse = (status) => ({
      status,
      body: { error: true, reason: 'Internal Server Error' },
    }),
  ) {
    this.name = name;
  }

  get baseUrl(): string {
    if (!this.url) throw new Error(`fake ${this.name} is not started`);
    return this.url;
  }

  get mode(): FakeMode {
    return this.currentMode;
  }

  get requestCount(): number {
    return this.count;
  }

  get requests(): readonly FakeRequestRecord[] {
    return this.records;
  }

  async start(): Promise<string> {
    if (this.url) return this.url;
    const server = createServer((request, response) => this.serve(request, response));
    // Node's keep-alive default (5 s) would hold test processes open; fakes close promptly.
    server.keepAliveTimeout = 1_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.server = server;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server = undefined;
    this.url = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  setMode(mode: FakeMode, options: FakeModeOptions = {}): void {
    this.currentMode = mode;
    this.modeOptions = options;
    this.remaining = options.times;
  }

  resetCounters(): void {
    this.count = 0;
    this.records = [];
  }

  private takeMode(): FakeMode {
    const mode = this.currentMode;
    if (mode !== 'ok' && this.remaining !== undefined) {
      this.remaining -= 1;
      if (this.remaining <= 0) this.setMode('ok');
    }
    return mode;
  }

  private serve(request: IncomingMessage, response: ServerResponse): void {
    // The body is read first so POST routes (Square's OAuth and SearchOrders) can see it.
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('error', () => undefined);
    request.on('end', () =>
      this.dispatch(request, response, Buffer.concat(chunks).toString('utf8')),
    );
  }

  private dispatch(request: IncomingMessage, response: ServerResponse, body: string): void {
    if (!this.url) return;
    const baseUrl = this.baseUrl;
    const url = new URL(request.url ?? '/', baseUrl);
    const options = this.modeOptions;
    const mode = this.takeMode();
    this.count += 1;
    if (this.records.length < MAX_RECORDS) {
      this.records.push({
        method: request.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        userAgent: request.headers['user-agent'],
        mode,
      });
    }
    switch (mode) {
      case 'ok': {
        const result = this.safeHandle(url, baseUrl, request, body);
        if (!result.delayMs) {
          this.answer(response, result);
          return;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.answer(response, result);
        }, result.delayMs);
        this.timers.add(timer);
        return;
      }
      case 'slow': {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.answer(response, this.safeHandle(url, baseUrl, request, body));
        }, options.delayMs ?? 2_000);
        this.timers.add(timer);
        return;
      }
      case 'error500':
        this.answer(response, this.errorBody(500));
        return;
      case 'rateLimited':
        this.answer(response, {
          ...this.errorBody(429),
          headers: { 'retry-after': String(options.retryAfterSeconds ?? 1) },
        });
        return;
      case 'reset':
        request.socket.destroy();
        return;
      case 'hang':
        // Never answer; stop() closes the connection.
        return;
      case 'malformed':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"properties": {"periods": [ {"number": 1, "name": "Tod');
        return;
    }
  }

  private safeHandle(
    url: URL,
    baseUrl: string,
    request: IncomingMessage,
    body: string,
  ): FakeResponse {
    try {
      return this.handler({
        url,
        baseUrl,
        method: request.method ?? 'GET',
        headers: request.headers,
        body,
      });
    } catch (error) {
      return { status: 500, body: { error: true, reason: String(error) } };
    }
  }

  private answer(response: ServerResponse, result: FakeResponse): void {
    if (response.destroyed) return;
    response.writeHead(result.status, {
      'content-type': result.contentType ?? 'application/json',
      ...result.headers,
    });
    // Text bodies (a fake's hosted HTML page) go out as they are; everything else is JSON.
    const text = typeof result.body === 'string' && result.contentType?.startsWith('text/');
    response.end(text ? (result.body as string) : JSON.stringify(result.body));
  }
}
