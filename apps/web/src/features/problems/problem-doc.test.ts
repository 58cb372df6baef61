import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROBLEM_CODES } from '@marketprep/contracts';
import { describe, expect, it } from 'vitest';
import { problemSection } from './problem-doc';

const errorsDoc = readFileSync(path.resolve(__dirname, '../../../../../docs/errors.md'), 'utf8');

describe('problemSection', () => {
  it('takes the text under the code heading, up to the next heading', () => {
    const markdown = [
      '## Client errors',
      '### a-code',
      '',
      'HTTP 400. First.',
      '',
      'More about it.',
      '### b-code',
      'HTTP 409.',
      '## Server errors',
    ].join('\n');
    expect(problemSection(markdown, 'a-code')).toBe('HTTP 400. First.\n\nMore about it.');
    expect(problemSection(markdown, 'b-code')).toBe('HTTP 409.');
    expect(problemSection(markdown, 'c-code')).toBeNull();
  });

  it('keeps web links and turns links into the repository docs into their words', () => {
    const markdown =
      '### x\nSee [pagination](api.md#pagination) and [RFC](https://rfc.example/9457).';
    expect(problemSection(markdown, 'x')).toBe(
      'See pagination and [RFC](https://rfc.example/9457).',
    );
  });

  it('finds a section for every code the API answers with', () => {
    for (const code of Object.keys(PROBLEM_CODES)) {
      expect(problemSection(errorsDoc, code), code).toMatch(/^HTTP \d{3}\b/);
    }
  });
});
