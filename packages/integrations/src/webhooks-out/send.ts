import http from 'node:http';
import https from 'node:https';
import { checkWebhookUrl, guardedLookup, type WebhookTargetPolicy } from './target-guard';

/** An attempt's outcome: a status code (any), or an error before one arrived. */
export type WebhookSendResult =
  | { ok: boolean; statusCode: number; error?: string }
  | { ok: false; statusCode: null; error: string };

/**
 * POSTs one signed event. Never follows redirects (a 3xx is a failed attempt: a redirect could
 * point anywhere, past the address check). The address of every connection is checked by
 * {@link guardedLookup}; IP-literal hosts by {@link checkWebhookUrl}. Only the first 1 KB of the
 * answer is read (for the log); the whole attempt is bounded by `timeoutMs`.
 */
export function sendWebhook(options: {
  url: string;
  body: string;
  headers: Record<string, string>;
  policy: WebhookTargetPolicy;
  timeoutMs?: number;
}): Promise<WebhookSendResult> {
  let url: URL;
  try {
    url = checkWebhookUrl(options.url, options.policy);
  } catch (error) {
    return Promise.resolve({ ok: false, statusCode: null, error: (error as Error).message });
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: WebhookSendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(options.body)),
          'user-agent': 'MarketPrep-Webhooks/1.0',
          ...options.headers,
        },
        lookup: guardedLookup(options.policy),
        agent: false,
      },
      (response) => {
        const statusCode = response.statusCode ?? 0;
        let snippet = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (snippet.length < 1_024) snippet += chunk.slice(0, 1_024 - snippet.length);
        });
        response.on('end', () => {
          const ok = statusCode >= 200 && statusCode < 300;
          const error = ok
            ? undefined
            : statusCode >= 300 && statusCode < 400
              ? `HTTP ${statusCode}: redirects are not followed`
              : `HTTP ${statusCode}${snippet ? `: ${snippet.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
          finish({ ok, statusCode, ...(error ? { error } : {}) });
        });
        response.on('error', (error) =>
          finish({ ok: false, statusCode: null, error: error.message }),
        );
      },
    );
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('error', (error) => finish({ ok: false, statusCode: null, error: error.message }));
    request.end(options.body);
  });
}
