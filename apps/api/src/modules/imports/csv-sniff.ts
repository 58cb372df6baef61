import type { ImportDelimiter, ImportEncoding } from '@marketprep/contracts';
import iconv from 'iconv-lite';

/** Bytes looked at before deciding the encoding (the rest of the file streams through). */
export const SNIFF_SAMPLE_BYTES = 64 * 1024;

/** A byte stream turned into text, with what was detected. */
export interface DecodedCsv {
  encoding: ImportEncoding;
  delimiter: ImportDelimiter;
  /** Text chunks in file order, BOM removed. */
  text: AsyncIterable<string>;
}

const ICONV_NAME: Record<ImportEncoding, string> = {
  'utf-8': 'utf8',
  'utf-8-bom': 'utf8',
  'utf-16le': 'utf16le',
  'utf-16be': 'utf16be',
  'windows-1252': 'win1252',
};

/** Charsets a client may name in `Content-Type: text/csv; charset=...`. */
const CHARSET_HINTS: Record<string, ImportEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
};

/** Maps a `charset` parameter to an encoding we decode, or undefined when unknown/absent. */
export function encodingForCharset(charset: string | undefined): ImportEncoding | undefined {
  return charset ? CHARSET_HINTS[charset.trim().toLowerCase()] : undefined;
}

function isValidUtf8Prefix(sample: Buffer, complete: boolean): boolean {
  try {
    // `stream: true` tolerates a multi-byte sequence cut off at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/**
 * Detects the encoding of a file from its first bytes: a BOM decides (UTF-8, UTF-16 LE/BE); without
 * one, NUL bytes in alternate positions mean BOM-less UTF-16; then a `charset` hint from the
 * request; then UTF-8 when the sample is valid UTF-8, else Windows-1252 (a superset of Latin-1 for
 * printable text), which is what spreadsheet programs on Windows write.
 */
export function detectEncoding(
  sample: Buffer,
  options: { complete: boolean; hint?: ImportEncoding },
): { encoding: ImportEncoding; bomLength: number } {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8-bom', bomLength: 3 };
  }
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const probe = sample.subarray(0, 512);
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < probe.length; i += 1) {
    if (probe[i] === 0) {
      if (i % 2 === 0) evenNul += 1;
      else oddNul += 1;
    }
  }
  if (probe.length >= 4 && oddNul > probe.length / 4 && evenNul === 0) {
    return { encoding: 'utf-16le', bomLength: 0 };
  }
  if (probe.length >= 4 && evenNul > probe.length / 4 && oddNul === 0) {
    return { encoding: 'utf-16be', bomLength: 0 };
  }
  if (options.hint) return { encoding: options.hint, bomLength: 0 };
  return {
    encoding: isValidUtf8Prefix(sample, options.complete) ? 'utf-8' : 'windows-1252',
    bomLength: 0,
  };
}

/**
 * Picks the delimiter that occurs most often in the header line outside quotes (comma on a tie
 * or when none occurs: a one-column file then fails the column check with a clear message).
 */
export function detectDelimiter(headerLine: string): ImportDelimiter {
  const counts: Record<ImportDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === ',' || char === ';' || char === '\t')) counts[char] += 1;
  }
  let best: ImportDelimiter = ',';
  for (const candidate of [';', '\t'] as const) {
    if (counts[candidate] > counts[best]) best = candidate;
  }
  return best;
}

/**
 * Reads the first {@link SNIFF_SAMPLE_BYTES} of `source`, detects encoding and delimiter, and
 * returns the whole file as decoded text chunks (the sample first, then the rest as it streams).
 * Nothing beyond the sample is held in memory.
 */
export async function sniffCsv(
  source: AsyncIterable<Buffer>,
  options: { charsetHint?: ImportEncoding } = {},
): Promise<DecodedCsv> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < SNIFF_SAMPLE_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    headBytes += next.value.length;
  }
  const sample = Buffer.concat(head);
  const { encoding, bomLength } = detectEncoding(sample, {
    complete: done,
    hint: options.charsetHint,
  });
  const decoder = iconv.getDecoder(ICONV_NAME[encoding], { stripBOM: false });
  const firstText = decoder.write(sample.subarray(bomLength));
  const firstLine = /^[^\r\n]*/.exec(firstText)?.[0] ?? '';
  const delimiter = detectDelimiter(firstLine);

  async function* text(): AsyncGenerator<string> {
    if (firstText) yield firstText;
    if (!done) {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const chunk = decoder.write(next.value);
        if (chunk) yield chunk;
      }
    }
    const rest = decoder.end();
    if (rest) yield rest;
  }
  return { encoding, delimiter, text: text() };
}
