import {
  createECDH,
  createPublicKey,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Web Push service on loopback, playing both the push service and the browser (issue 19):
 * it hands out subscriptions whose endpoint points at itself and whose keys it keeps, checks
 * the VAPID authorization of every message (RFC 8292: an ES256 JWT for this origin, signed by the
 * key in `k`) and decrypts the aes128gcm payload with the subscription's private key (RFC 8291),
 * as a browser would. Tests and the browser test assert on what it received.
 */
export interface PushServiceFake {
  /** http://127.0.0.1:<port> */
  readonly baseUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A new subscription as `PushSubscription.toJSON()` gives it (endpoint + keys). */
  createSubscription(): FakePushSubscription;
  /** Messages accepted so far, oldest first. */
  received(): ReceivedPush[];
  /** Answer the next `times` messages with `status` (e.g. 500 for an outage, 410 for gone). */
  failNext(status: number, times?: number): void;
  /** Answer every message to this subscription with 410 Gone (the browser unsubscribed). */
  expire(subscriptionId: string): void;
  /** Rejected requests with why (bad VAPID, undecryptable), for assertions. */
  rejected(): { subscriptionId: string; reason: string }[];
}

/** A subscription of the fake. */
export interface FakePushSubscription {
  id: string;
  endpoint: string;
  expirationTime: null;
  keys: { p256dh: string; auth: string };
}

/** A message the fake accepted. */
export interface ReceivedPush {
  subscriptionId: string;
  /** The decrypted payload as text. */
  text: string;
  /** The VAPID JWT's claims and public key. */
  vapid: { aud: string; sub: string; exp: number; publicKey: string };
  ttl: number | null;
  urgency: string | null;
}

const b64u = (buffer: Buffer) => buffer.toString('base64url');

/** Verifies `vapid t=<jwt>, k=<key>`; returns the claims or a reason. */
function checkVapid(
  header: string | undefined,
  origin: string,
  nowSeconds: number,
): { ok: true; claims: ReceivedPush['vapid'] } | { ok: false; reason: string } {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+),\s*k=([\w-]+)$/.exec(header ?? '');
  if (!match) return { ok: false, reason: 'no vapid authorization' };
  const [token, key] = [match[1]!, match[2]!];
  const [h, p, s] = token.split('.') as [string, string, string];
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) return { ok: false, reason: 'bad vapid key' };
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: b64u(point.subarray(1, 33)),
      y: b64u(point.subarray(33)),
    },
    format: 'jwk',
  });
  const header64 = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
  if (header64.alg !== 'ES256') return { ok: false, reason: 'vapid alg is not ES256' };
  const signed = verify(
    'sha256',
    Buffer.from(`${h}.${p}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(s, 'base64url'),
  );
  if (!signed) return { ok: false, reason: 'vapid signature invalid' };
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as {
    aud?: string;
    sub?: string;
    exp?: number;
  };
  if (claims.aud !== origin) return { ok: false, reason: `vapid aud ${claims.aud} != ${origin}` };
  if (!claims.sub || !/^(mailto:|https:)/.test(claims.sub))
    return { ok: false, reason: 'vapid sub missing' };
  if (!claims.exp || claims.exp < nowSeconds || claims.exp > nowSeconds + 24 * 3600)
    return { ok: false, reason: 'vapid exp outside the next 24 h' };
  return {
    ok: true,
    claims: { aud: claims.aud, sub: claims.sub, exp: claims.exp, publicKey: key },
  };
}

/** Decrypts an aes128gcm body (RFC 8188) addressed to the subscription (RFC 8291). */
function decryptAes128gcm(
  body: Buffer,
  subscriber: { ecdh: ReturnType<typeof createECDH>; auth: Buffer },
): string {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20]!;
  const serverPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const shared = subscriber.ecdh.computeSecret(serverPublic);
  const keyInfo = Buffer.concat([
    Buffer.from('WebPush: info\0'),
    subscriber.ecdh.getPublicKey(),
    serverPublic,
  ]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, subscriber.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: aes128gcm\0', 16));
  const nonceBase = Buffer.from(hkdfSync('sha256', ikm, salt, 'Content-Encoding: nonce\0', 12));
  const parts: Buffer[] = [];
  for (let offset = 0, seq = 0; offset < ciphertext.length; offset += recordSize, seq++) {
    const record = ciphertext.subarray(offset, Math.min(offset + recordSize, ciphertext.length));
    const nonce = Buffer.from(nonceBase);
    // The record's sequence number XORs into the nonce's low bytes (records < 2^32 here).
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
    decipher.setAuthTag(record.subarray(record.length - 16));
    const plain = Buffer.concat([decipher.update(record.subarray(0, -16)), decipher.final()]);
    // Padding: the content, a delimiter (2 in the last record, 1 before), then zeros.
    let end = plain.length - 1;
    while (end >= 0 && plain[end] === 0) end--;
    if (plain[end] !== 1 && plain[end] !== 2) throw new Error('bad padding delimiter');
    parts.push(plain.subarray(0, end));
  }
  return Buffer.concat(parts).toString('utf8');
}

/** Starts nothing until `start()`; listens on 127.0.0.1, port 0 unless given. */
export function createPushServiceFake(options: { port?: number } = {}): PushServiceFake {
  const subscribers = new Map<string, { ecdh: ReturnType<typeof createECDH>; auth: Buffer }>();
  const expired = new Set<string>();
  const messages: ReceivedPush[] = [];
  const refusals: { subscriptionId: string; reason: string }[] = [];
  let failures: { status: number; times: number } | null = null;
  let baseUrl = '';
  let server: Server | undefined;

  const handle = (
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ) => {
    const id = /^\/push\/([\w-]+)$/.exec(path)?.[1];
    const subscriber = id ? subscribers.get(id) : undefined;
    if (!id || !subscriber) return 404;
    if (expired.has(id)) return 410;
    if (failures && failures.times > 0) {
      failures.times--;
      return failures.status;
    }
    const vapid = checkVapid(
      typeof headers.authorization === 'string' ? headers.authorization : undefined,
      baseUrl,
      Math.floor(Date.now() / 1000),
    );
    if (!vapid.ok) {
      refusals.push({ subscriptionId: id, reason: vapid.reason });
      return 403;
    }
    if (headers['content-encoding'] !== 'aes128gcm') {
      refusals.push({ subscriptionId: id, reason: 'content-encoding is not aes128gcm' });
      return 400;
    }
    let text: string;
    try {
      text = decryptAes128gcm(body, subscriber);
    } catch (error) {
      refusals.push({ subscriptionId: id, reason: `undecryptable: ${String(error)}` });
      return 400;
    }
    const ttl = Number(headers.ttl);
    messages.push({
      subscriptionId: id,
      text,
      vapid: vapid.claims,
      ttl: Number.isFinite(ttl) ? ttl : null,
      urgency: typeof headers.urgency === 'string' ? headers.urgency : null,
    });
    return 201;
  };

  return {
    get baseUrl() {
      return baseUrl;
    },
    async start() {
      server = createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          const status =
            request.method === 'POST'
              ? handle(
                  new URL(request.url ?? '/', baseUrl).pathname,
                  request.headers,
                  Buffer.concat(chunks),
                )
              : 405;
          response.writeHead(
            status,
            status === 201 ? { location: `${baseUrl}/m/${randomUUID()}` } : {},
          );
          response.end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(options.port ?? 0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async stop() {
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    },
    createSubscription() {
      const id = randomUUID();
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      subscribers.set(id, { ecdh, auth });
      return {
        id,
        endpoint: `${baseUrl}/push/${id}`,
        expirationTime: null,
        keys: { p256dh: b64u(ecdh.getPublicKey()), auth: b64u(auth) },
      };
    },
    received: () => [...messages],
    rejected: () => [...refusals],
    failNext(status, times = 1) {
      failures = { status, times };
    },
    expire(subscriptionId) {
      expired.add(subscriptionId);
    },
  };
}
