import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { detectDelimiter, detectEncoding, encodingForCharset, sniffCsv } from './csv-sniff';

const chunks = (...parts: Buffer[]): AsyncIterable<Buffer> => Readable.from(parts);

async function text(source: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const chunk of source) out += chunk;
  return out;
}

describe('detectEncoding', () => {
  it('trusts a BOM', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), { complete: true })).toEqual({
      encoding: 'utf-8-bom',
      bomLength: 3,
    });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0]), { complete: true }).encoding).toBe(
      'utf-16le',
    );
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x61]), { complete: true }).encoding).toBe(
      'utf-16be',
    );
  });

  it('tells UTF-8 from Windows-1252 and spots BOM-less UTF-16', () => {
    expect(detectEncoding(Buffer.from('Crème brûlée', 'utf8'), { complete: true }).encoding).toBe(
      'utf-8',
    );
    expect(
      detectEncoding(iconv.encode('Crème brûlée', 'win1252'), { complete: true }).encoding,
    ).toBe('windows-1252');
    expect(
      detectEncoding(iconv.encode('date,market', 'utf16le'), { complete: true }).encoding,
    ).toBe('utf-16le');
    // A multi-byte character cut at the end of an incomplete sample is still UTF-8.
    expect(
      detectEncoding(Buffer.from('abc é', 'utf8').subarray(0, 5), { complete: false }).encoding,
    ).toBe('utf-8');
  });

  it('maps charset parameters', () => {
    expect(encodingForCharset('ISO-8859-1')).toBe('windows-1252');
    expect(encodingForCharset('UTF-8')).toBe('utf-8');
    expect(encodingForCharset('klingon')).toBeUndefined();
  });
});

describe('detectDelimiter', () => {
  it('counts delimiters outside quotes in the header line', () => {
    expect(detectDelimiter('date,market,product,quantity')).toBe(',');
    expect(detectDelimiter('date;market;product;quantity')).toBe(';');
    expect(detectDelimiter('date\tmarket\tproduct\tquantity')).toBe('\t');
    expect(detectDelimiter('"a;b;c;d",x,y')).toBe(',');
    expect(detectDelimiter('single')).toBe(',');
  });
});

describe('sniffCsv', () => {
  it('decodes a Windows-1252 file split across chunks, stripping nothing but the BOM', async () => {
    const body = iconv.encode('date;product\n2025-01-01;Crème brûlée\n', 'win1252');
    const decoded = await sniffCsv(chunks(body.subarray(0, 20), body.subarray(20)));
    expect(decoded).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
    expect(await text(decoded.text)).toBe('date;product\n2025-01-01;Crème brûlée\n');
  });

  it('decodes UTF-16LE with a BOM across an odd chunk boundary', async () => {
    const body = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      iconv.encode('a\tb\nÉté\t1\n', 'utf16le'),
    ]);
    const decoded = await sniffCsv(chunks(body.subarray(0, 7), body.subarray(7)));
    expect(decoded.delimiter).toBe('\t');
    expect(await text(decoded.text)).toBe('a\tb\nÉté\t1\n');
  });
});
