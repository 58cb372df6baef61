import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { FAKE_MODES, type FakeMode, type FakeProvider } from './fake-server';

/** Options of {@link startFakeControlServer}. */
export interface FakeControlServerOptions {
  /** The fakes it switches, by `name` (`nws`, `open-meteo`, `ticketmaster`). */
  fakes: readonly FakeProvider[];
  /** Port on 127.0.0.1 (0: a free one, for tests). */
  port: number;
  /** Named actions run by `POST /triggers/<name>` (the worker passes its schedules). */
  triggers?: Readonly<Record<string, () => Promise<unknown>>>;
}

/** A started control server. */
export interface FakeControlServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  stop(): Promise<void>;
}

const ModeBodySchema = z
  .object({
    mode: z.enum(FAKE_MODES as readonly [FakeMode, ...FakeMode[]]),
    delayMs: z.number().int().min(0).max(120_000).optional(),
    retryAfterSeconds: z.number().int().min(0).max(3_600).optional(),
    times: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();

const MAX_BODY_BYTES = 4_096;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A small HTTP control surface for the provider fakes of demo mode, so a browser test or an
 * operator giving a demo can make a provider fail at run time:
 *
 * - `GET /`: each fake's mode and request count, and the trigger names;
 * - `PUT /fakes/<name>/mode` (or `/fakes/all/mode`) with `{"mode": "error500", "times"?: n,
 *   "delayMs"?: ms, "retryAfterSeconds"?: s}`; `{"mode": "ok"}` recovers;
 * - `POST /triggers/<name>`: runs a named action now (e.g. `schedule-weather-refresh`).
 *
 * It exists only where the fakes do (never in production; see the worker's env), listens on
 * 127.0.0.1 only, answers only requests addressed to that host (no DNS rebinding), and takes
 * writes only as `application/json` (a cross-site page cannot send that without a CORS preflight,
 * which this server never grants).
 */
export async function startFakeControlServer(
  options: FakeControlServerOptions,
): Promise<FakeControlServer> {
  const fakes = new Map(options.fakes.map((fake) => [fake.name, fake]));
  const triggers = options.triggers ?? {};
  let port = 0;

  const describe = () => ({
    fakes: [...fakes.values()].map((fake) => ({
      name: fake.name,
      mode: fake.mode,
      requestCount: fake.requestCount,
    })),
    modes: FAKE_MODES,
    triggers: Object.keys(triggers),
  });

  const handle = async (request: IncomingMessage): Promise<{ status: number; body: unknown }> => {
    const host = request.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      throw new ControlError(421, 'this server answers requests to 127.0.0.1 only');
    }
    const path = new URL(request.url ?? '/', `http://127.0.0.1:${port}`).pathname;
    if (request.method === 'GET' && path === '/') return { status: 200, body: describe() };

    const modeRoute = /^\/fakes\/([a-z-]+)\/mode$/.exec(path);
    const triggerRoute = /^\/triggers\/([a-z0-9-]+)$/.exec(path);
    if (!modeRoute && !triggerRoute) throw new ControlError(404, `no route ${path}`);
    const expected = modeRoute ? 'PUT' : 'POST';
    if (request.method !== expected) throw new ControlError(405, `use ${expected} on ${path}`);
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      throw new ControlError(415, 'send the body as application/json');
    }
    const raw = await readBody(request);

    if (modeRoute) {
      const name = modeRoute[1] ?? '';
      const one = fakes.get(name);
      const targets = name === 'all' ? [...fakes.values()] : one ? [one] : [];
      if (targets.length === 0) {
        throw new ControlError(404, `no fake named ${name} (${[...fakes.keys()].join(', ')})`);
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new ControlError(400, 'the body is not JSON');
      }
      const parsed = ModeBodySchema.safeParse(json);
      if (!parsed.success) {
        throw new ControlError(
          400,
          parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '),
        );
      }
      const { mode, ...modeOptions } = parsed.data;
      for (const fake of targets) fake.setMode(mode, modeOptions);
      return { status: 200, body: describe() };
    }

    const name = triggerRoute?.[1] ?? '';
    const trigger = Object.hasOwn(triggers, name) ? triggers[name] : undefined;
    if (!trigger) {
      throw new ControlError(
        404,
        `no trigger named ${name} (${Object.keys(triggers).join(', ') || 'none'})`,
      );
    }
    return { status: 200, body: { trigger: name, result: (await trigger()) ?? null } };
  };

  const serve = (request: IncomingMessage, response: ServerResponse) => {
    handle(request)
      .then(({ status, body }) => send(response, status, body))
      .catch((error: unknown) =>
        error instanceof ControlError
          ? send(response, error.status, { error: error.message })
          : send(response, 500, { error: 'the action failed (see the worker log)' }),
      );
  };

  const server = createServer(serve);
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(new ControlError(413, `the body is over ${MAX_BODY_BYTES} bytes`))
        : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
