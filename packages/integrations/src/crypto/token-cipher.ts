import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM encryption of OAuth tokens at rest, with a key ring so keys can rotate.
 *
 * Sealed format (one `Buffer`, stored in a bytea column):
 * `version (1 byte) | key id length (1 byte) | key id (utf8) | iv (12) | tag (16) | ciphertext`.
 * The version byte and key id are authenticated (GCM additional data), so a sealed value cannot be
 * relabelled to another key.
 */

/** Keys by id and the id new values are sealed with. */
export interface TokenKeyRing {
  currentKeyId: string;
  keys: Record<string, Buffer>;
}

/** A sealed value that cannot be opened: unknown key, tampered bytes, or not our format. */
export class TokenDecryptionError extends Error {
  override readonly name = 'TokenDecryptionError';
}

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * Parses `TOKEN_ENCRYPTION_KEYS="k1:<base64 32 bytes>,k2:<base64 32 bytes>"` and the current id.
 * Throws a readable error (never echoing a key) when anything is off.
 */
export function parseTokenKeyRing(keys: string, currentKeyId: string): TokenKeyRing {
  const ring: Record<string, Buffer> = {};
  for (const entry of keys
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const separator = entry.indexOf(':');
    const id = separator > 0 ? entry.slice(0, separator) : '';
    if (!KEY_ID.test(id)) {
      throw new Error(
        'TOKEN_ENCRYPTION_KEYS: each entry must be "<id>:<base64 key>" (id: A-Z, 0-9, _-)',
      );
    }
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== 32) {
      throw new Error(`TOKEN_ENCRYPTION_KEYS: key "${id}" must be 32 bytes, base64-encoded`);
    }
    if (ring[id]) throw new Error(`TOKEN_ENCRYPTION_KEYS: key id "${id}" appears twice`);
    ring[id] = key;
  }
  if (!ring[currentKeyId]) {
    throw new Error(`TOKEN_ENCRYPTION_KEY_ID: "${currentKeyId}" is not in TOKEN_ENCRYPTION_KEYS`);
  }
  return { currentKeyId, keys: ring };
}

/** Seals and opens tokens with a key ring; `reencrypt` moves a value to the current key. */
export class TokenCipher {
  constructor(private readonly ring: TokenKeyRing) {
    if (!ring.keys[ring.currentKeyId]) throw new Error('TokenCipher: current key is missing');
  }

  /** The id new values are sealed with (store it beside the value). */
  get currentKeyId(): string {
    return this.ring.currentKeyId;
  }

  /** Seals `plaintext` with the current key. */
  encrypt(plaintext: string): Buffer {
    const keyId = this.ring.currentKeyId;
    const key = this.ring.keys[keyId]!;
    const header = headerFor(keyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(header);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([header, iv, cipher.getAuthTag(), ciphertext]);
  }

  /** The key id a sealed value names. */
  keyIdOf(sealed: Uint8Array): string {
    return parseSealed(Buffer.from(sealed)).keyId;
  }

  /** Opens a sealed value with the key it names. */
  decrypt(sealed: Uint8Array): string {
    const parts = parseSealed(Buffer.from(sealed));
    const key = this.ring.keys[parts.keyId];
    if (!key) throw new TokenDecryptionError(`unknown encryption key id "${parts.keyId}"`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, parts.iv);
      decipher.setAAD(parts.header);
      decipher.setAuthTag(parts.tag);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new TokenDecryptionError('sealed token failed authentication', { cause: error });
    }
  }

  /** Opens with the old key and seals with the current one (key rotation). */
  reencrypt(sealed: Uint8Array): Buffer {
    return this.encrypt(this.decrypt(sealed));
  }
}

function headerFor(keyId: string): Buffer {
  const id = Buffer.from(keyId, 'utf8');
  return Buffer.concat([Buffer.from([VERSION, id.length]), id]);
}

function parseSealed(buffer: Buffer): {
  header: Buffer;
  keyId: string;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
} {
  if (buffer.length < 2 || buffer[0] !== VERSION) {
    throw new TokenDecryptionError('not a sealed token (unknown version)');
  }
  const idLength = buffer[1]!;
  const start = 2 + idLength;
  if (idLength === 0 || buffer.length < start + IV_BYTES + TAG_BYTES) {
    throw new TokenDecryptionError('sealed token is truncated');
  }
  return {
    header: buffer.subarray(0, start),
    keyId: buffer.subarray(2, start).toString('utf8'),
    iv: buffer.subarray(start, start + IV_BYTES),
    tag: buffer.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES),
    ciphertext: buffer.subarray(start + IV_BYTES + TAG_BYTES),
  };
}
