import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES } from './problem';

// Each problem `type` points to docs/errors.md#<code>: every code needs its heading there.
const errorsPage = readFileSync(join(__dirname, '../../../docs/errors.md'), 'utf8');
const headings = [...errorsPage.matchAll(/^### ([a-z0-9-]+)$/gm)].map((m) => m[1]);

describe('problem codes', () => {
  it('has a docs/errors.md heading, with its status, for every code and no heading without a code', () => {
    for (const [code, { status }] of Object.entries(PROBLEM_CODES)) {
      expect(headings, code).toContain(code);
      const section = errorsPage.split(`### ${code}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section, code).toContain(String(status));
    }
    expect(headings.filter((h) => !(h! in PROBLEM_CODES))).toEqual([]);
  });

  it('uses kebab-case codes', () => {
    for (const code of Object.keys(PROBLEM_CODES)) expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
