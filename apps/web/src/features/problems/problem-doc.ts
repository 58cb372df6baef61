/**
 * The page a problem's `type` URI points to (`https://marketprep.app/problems/<code>`, issue 20):
 * the section of docs/errors.md under the heading named after the code, so the docs stay the one
 * place each code is described.
 */

/** The markdown under `### <code>` up to the next heading of that level or above; null if none. */
export function problemSection(markdown: string, code: string): string | null {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `### ${code}`);
  if (start < 0) return null;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^#{1,3} /.test(line));
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
  // Links to the other docs are relative to the repository; on the web they would lead nowhere.
  return body.replace(/\[([^\]]+)\]\((?!https?:)[^)]*\)/g, '$1');
}
