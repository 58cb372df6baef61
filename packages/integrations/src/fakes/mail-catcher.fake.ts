import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message the catcher received. */
export interface CaughtMail {
  id: number;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

/**
 * The demo's mail catcher (issue 19): an SMTP server on loopback (smtp-server) that keeps what
 * the worker mails (alert and billing emails) in memory and shows it at `GET /` (a page) and
 * `GET /messages.json`, so `npm start` needs no mail provider and nothing leaves the machine.
 * Password reset and invitation mail from the API still goes to `/v1/dev/outbox`.
 */
export interface MailCatcher {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  readonly smtpUrl: string;
  /** http://127.0.0.1:<port> of the page. */
  readonly webUrl: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Messages, newest first, optionally only those to `to`. */
  messages(to?: string): CaughtMail[];
}

/** Decodes RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?UTF-8?Q?...?=`) as nodemailer writes them. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_, _charset: string, kind: string, data: string) =>
        kind.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('utf8')
          : Buffer.from(
              data
                .replace(/_/g, ' ')
                .replace(/=([0-9A-Fa-f]{2})/g, (__, hex: string) =>
                  String.fromCharCode(parseInt(hex, 16)),
                ),
              'latin1',
            ).toString('utf8'),
    );
}

/** Headers (unfolded, lower-case names) and the decoded body of a single-part text message. */
function parseMessage(raw: string): { headers: Map<string, string>; text: string } {
  const split = raw.search(/\r?\n\r?\n/);
  const head = split === -1 ? raw : raw.slice(0, split);
  const body = split === -1 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const headers = new Map<string, string>();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = headers.get('content-transfer-encoding')?.toLowerCase();
  const text =
    encoding === 'base64'
      ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
      : encoding === 'quoted-printable'
        ? Buffer.from(
            body
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) =>
                String.fromCharCode(parseInt(hex, 16)),
              ),
            'latin1',
          ).toString('utf8')
        : body;
  return { headers, text: text.replace(/\r\n/g, '\n') };
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Starts nothing until `start()`; both servers listen on 127.0.0.1 (port 0 unless given). */
export function createMailCatcher(
  options: { smtpPort?: number; webPort?: number; capacity?: number } = {},
): MailCatcher {
  const kept: CaughtMail[] = [];
  let next = 1;
  let smtpUrl = '';
  let webUrl = '';
  const smtp = new SMTPServer({
    // Loopback only, no TLS, any sender: a catcher, not a relay.
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 1_000_000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const { headers, text } = parseMessage(Buffer.concat(chunks).toString('utf8'));
        kept.push({
          id: next++,
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          subject: decodeWords(headers.get('subject') ?? ''),
          text,
          receivedAt: new Date().toISOString(),
        });
        if (kept.length > (options.capacity ?? 500)) kept.shift();
        callback();
      });
    },
  });
  const list = (to?: string) =>
    kept.filter((m) => !to || m.to.includes(to.toLowerCase())).reverse();
  let web: Server | undefined;

  return {
    get smtpUrl() {
      return smtpUrl;
    },
    get webUrl() {
      return webUrl;
    },
    async start() {
      await new Promise<void>((resolve, reject) => {
        smtp.once('error', reject);
        smtp.listen(options.smtpPort ?? 0, '127.0.0.1', () => resolve());
      });
      smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
      web = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://127.0.0.1');
        const to = url.searchParams.get('to') ?? undefined;
        if (url.pathname === '/messages.json') {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ data: list(to) }));
          return;
        }
        if (url.pathname !== '/') {
          response.writeHead(404).end();
          return;
        }
        const items = list(to)
          .map(
            (m) =>
              `<article><h2>${escapeHtml(m.subject)}</h2><p>To ${escapeHtml(m.to.join(', '))} · ${escapeHtml(m.receivedAt)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
          )
          .join('');
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          `<!doctype html><html lang="en"><meta charset="utf-8"><title>Mail · MarketPrep demo</title><body style="font-family:system-ui,sans-serif;margin:2rem;max-width:50rem"><h1>Mail the demo sent</h1>${items || '<p>Nothing yet.</p>'}</body></html>`,
        );
      });
      await new Promise<void>((resolve) => web!.listen(options.webPort ?? 0, '127.0.0.1', resolve));
      webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    },
    async stop() {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
      await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    },
    messages: list,
  };
}
