import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TokenCipher, TokenDecryptionError, parseTokenKeyRing } from './token-cipher';

const k1 = randomBytes(32).toString('base64');
const k2 = randomBytes(32).toString('base64');
const token = 'EAAAl-canary-access-token-0123456789';

describe('token cipher (AES-256-GCM with a key ring)', () => {
  it('round-trips and never contains the plaintext', () => {
    const cipher = new TokenCipher(parseTokenKeyRing(`k1:${k1}`, 'k1'));
    const sealed = cipher.encrypt(token);
    expect(sealed.includes(Buffer.from(token))).toBe(false);
    expect(sealed.toString('latin1')).not.toContain('canary');
    expect(cipher.keyIdOf(sealed)).toBe('k1');
    expect(cipher.decrypt(sealed)).toBe(token);
    // A fresh IV each time: the same token seals differently.
    expect(cipher.encrypt(token).equals(sealed)).toBe(false);
  });

  it('rejects a flipped byte anywhere, a relabelled key id and garbage', () => {
    const cipher = new TokenCipher(parseTokenKeyRing(`k1:${k1},k2:${k2}`, 'k1'));
    const sealed = cipher.encrypt(token);
    for (const index of [4, 10, 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[index] = tampered[index]! ^ 0x01;
      expect(() => cipher.decrypt(tampered)).toThrow(TokenDecryptionError);
    }
    const relabelled = Buffer.from(sealed);
    relabelled[3] = '2'.charCodeAt(0); // "k1" -> "k2": authenticated header, so it fails
    expect(() => cipher.decrypt(relabelled)).toThrow(TokenDecryptionError);
    expect(() => cipher.decrypt(Buffer.from('plain'))).toThrow(TokenDecryptionError);
  });

  it('rotates: old values open with the old key and re-encrypt under the new one', () => {
    const old = new TokenCipher(parseTokenKeyRing(`k1:${k1}`, 'k1'));
    const sealedOld = old.encrypt(token);
    const rotated = new TokenCipher(parseTokenKeyRing(`k1:${k1},k2:${k2}`, 'k2'));
    expect(rotated.decrypt(sealedOld)).toBe(token);
    const sealedNew = rotated.reencrypt(sealedOld);
    expect(rotated.keyIdOf(sealedNew)).toBe('k2');
    expect(rotated.decrypt(sealedNew)).toBe(token);
    // Once k1 is retired, the old value no longer opens; the new one does.
    const retired = new TokenCipher(parseTokenKeyRing(`k2:${k2}`, 'k2'));
    expect(() => retired.decrypt(sealedOld)).toThrow(/unknown encryption key id "k1"/);
    expect(retired.decrypt(sealedNew)).toBe(token);
  });

  it('parses the key ring strictly without echoing keys', () => {
    expect(() => parseTokenKeyRing(`k1:${k1}`, 'k9')).toThrow(/TOKEN_ENCRYPTION_KEY_ID/);
    expect(() => parseTokenKeyRing('k1:c2hvcnQ=', 'k1')).toThrow(/32 bytes/);
    expect(() => parseTokenKeyRing(`${k1}`, 'k1')).toThrow(/<id>:<base64 key>/);
    expect(() => parseTokenKeyRing(`k1:${k1},k1:${k2}`, 'k1')).toThrow(/twice/);
    try {
      parseTokenKeyRing(`k1:${k1}`, 'nope');
    } catch (error) {
      expect(String(error)).not.toContain(k1);
    }
  });
});
