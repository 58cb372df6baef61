import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Where webhooks may go (SSRF, OWASP ASVS 1.3.6). Production: public unicast addresses only, over
 * https. Tests and the demo may allow loopback (WEBHOOK_ALLOW_LOOPBACK) to reach a local receiver;
 * private, link-local (cloud metadata 169.254.169.254), ULA, CGNAT, multicast and the rest stay
 * refused everywhere.
 */
export interface WebhookTargetPolicy {
  allowLoopback: boolean;
  requireHttps: boolean;
}

/** A target the policy refuses (the URL, or what its host name resolved to). */
export class WebhookTargetRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefusedError';
  }
}

/** Why `address` (an IP literal) is refused, or undefined when it may be called. */
export function addressRefusal(address: string, policy: WebhookTargetPolicy): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return `${address} is not an IP address`;
  let ip = ipaddr.parse(bare);
  // ::ffff:10.0.0.1 is 10.0.0.1 on a dual-stack socket.
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  const range = ip.range();
  if (range === 'unicast') return undefined;
  if (range === 'loopback' && policy.allowLoopback) return undefined;
  return `${bare} is a ${range} address`;
}

/**
 * Checks a URL before anything is resolved: scheme, no credentials, and an IP-literal host
 * against the policy (host names are checked on every connection by {@link guardedLookup}).
 */
export function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookTargetRefusedError('Not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WebhookTargetRefusedError('Only http(s) URLs');
  }
  if (policy.requireHttps && url.protocol !== 'https:') {
    throw new WebhookTargetRefusedError('Only https URLs');
  }
  if (url.username || url.password) {
    throw new WebhookTargetRefusedError('No user or password in the URL');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const refusal = addressRefusal(host, policy);
    if (refusal) throw new WebhookTargetRefusedError(refusal);
  } else if (/(^|\.)localhost\.?$/i.test(host) && !policy.allowLoopback) {
    throw new WebhookTargetRefusedError(`${host} is a loopback name`);
  }
  return url;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for `http.request` that resolves the host and refuses the connection when ANY
 * address is outside the policy: the socket connects to the address checked here, so a DNS
 * answer that changes between check and use (rebinding) cannot slip through.
 */
export function guardedLookup(policy: WebhookTargetPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        callback(error, []);
        return;
      }
      const list = addresses;
      for (const entry of list) {
        const refusal = addressRefusal(entry.address, policy);
        if (refusal) {
          const refused = new WebhookTargetRefusedError(`${hostname} resolves to ${refusal}`);
          callback(refused, []);
          return;
        }
      }
      if (list.length === 0) {
        callback(new WebhookTargetRefusedError(`${hostname} has no address`), []);
        return;
      }
      if (options.all) callback(null, list);
      else callback(null, list[0]!.address, list[0]!.family);
    });
  };
}
