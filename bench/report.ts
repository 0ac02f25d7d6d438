import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const FILE = 'docs/benchmarks.md';
const HEADER = `# Benchmarks

Every figure below was written by \`npm run bench\` (each section names the script that made it).
Benchmarks, never timed tests, check the speed and memory targets.
`;

/**
 * Replaces one section of docs/benchmarks.md (between <!-- bench:name --> markers), keeping the
 * sections other scripts wrote, so each benchmark can be re-run alone.
 */
export function writeSection(name: string, markdown: string): void {
  if (process.env.BENCH_NO_WRITE) return;
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  let text = existsSync(FILE) ? readFileSync(FILE, 'utf8') : HEADER;
  if (!text.startsWith('# Benchmarks')) text = HEADER;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
  writeFileSync(FILE, text.endsWith('\n') ? text : `${text}\n`);
}
