import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PROBLEM_CODES, type ProblemCode } from '@marketprep/contracts';
import { marked } from 'marked';
import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { problemSection } from '../../../features/problems/problem-doc';

// One static page per code, rendered at build time from docs/errors.md (the standalone server
// needs no docs at run time); any other code is a 404.
export const dynamicParams = false;

export function generateStaticParams() {
  return Object.keys(PROBLEM_CODES).map((code) => ({ code }));
}

function errorsDoc(): string {
  // `next build` and `next dev` run in apps/web; look upward for the repository's docs.
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'docs', 'errors.md');
    if (existsSync(file)) return readFileSync(file, 'utf8');
    if (path.dirname(dir) === dir) throw new Error('docs/errors.md not found');
  }
}

function isCode(code: string): code is ProblemCode {
  return Object.hasOwn(PROBLEM_CODES, code);
}

type Props = { params: Promise<{ code: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { code } = await params;
  return { title: isCode(code) ? `${PROBLEM_CODES[code].title} (${code})` : 'API error' };
}

export default async function ProblemPage({ params }: Props) {
  const { code } = await params;
  if (!isCode(code)) notFound();
  const section = problemSection(errorsDoc(), code);
  if (section === null) notFound();
  // Our own docs, rendered at build time: no user input reaches this HTML.
  const html = await marked.parse(section);
  return (
    <main id="main" className="page">
      <p className="pl-muted">MarketPrep API error</p>
      <h1>
        <code>{code}</code>: {PROBLEM_CODES[code].title}
      </h1>
      <div dangerouslySetInnerHTML={{ __html: html }} />
      <p className="pl-muted">
        Every error answer is <code>application/problem+json</code> with this <code>code</code>;
        quote its <code>requestId</code> when asking for help.{' '}
        <Link href="/">Go to MarketPrep</Link>
      </p>
    </main>
  );
}
