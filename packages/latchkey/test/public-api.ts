import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package folder, with its sources: found from this file upwards, since the tests may run
 * compiled from build/test/packages/latchkey/test as well as from packages/latchkey/test.
 */
export const PACKAGE = (() => {
  for (let dir = import.meta.dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    if (existsSync(join(dir, 'packages', 'latchkey', 'package.json'))) return join(dir, 'packages', 'latchkey');
  }
  throw new Error('packages/latchkey/package.json not found above the tests');
})();

export interface PublicExport {
  /** The name an app imports (`default` for the default export). */
  name: string;
  /** The name it is declared under in `module`. */
  local: string;
  /** The module that declares it, relative to the package (`src/plugin.ts`). */
  module: string;
}

/**
 * The exports of an entry file that only re-exports (`export { a, type B, c as d } from './x.js'`),
 * which is what STYLE asks of an index. Anything else in the entry is refused, so this reader
 * cannot silently miss an export.
 */
export function entryExports(entry: string): PublicExport[] {
  const source = readFileSync(join(PACKAGE, entry), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const statements = source.split(';').map((statement) => statement.trim()).filter((statement) => statement !== '');
  return statements.flatMap((statement) => {
    const match = /^export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(\.[^']+)\.js'$/.exec(statement);
    if (!match) throw new Error(`${entry}: not a re-export this check understands: ${statement}`);
    const module = join('src', match[2]!.replace(/^\.\//, '')) + '.ts';
    return match[1]!
      .split(',')
      .map((part) => part.trim().replace(/^type\s+/, ''))
      .filter((part) => part !== '')
      .map((part) => {
        const [local = '', name = local] = part.split(/\s+as\s+/);
        return { name, local, module };
      });
  });
}

/**
 * The JSDoc block right above `name`'s declaration in `module`, or null when it has none.
 * Declarations are `export function|class|interface|type|const NAME`, as the package writes them.
 */
export function jsdocOf(module: string, name: string): string | null {
  const lines = readFileSync(join(PACKAGE, module), 'utf8').split('\n');
  const declaration = new RegExp(`^export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function|class|interface|type|const|let)\\s+${name}\\b`);
  const at = lines.findIndex((line) => declaration.test(line));
  if (at < 0) throw new Error(`${module}: no declaration of ${name}`);
  let end = at - 1;
  while (end >= 0 && /^\s*\/\/\s*eslint-disable/.test(lines[end]!)) end--;
  if (end < 0 || !/\*\/\s*$/.test(lines[end]!)) return null;
  let start = end;
  while (start >= 0 && !/^\s*\/\*\*/.test(lines[start]!)) start--;
  return start < 0 ? null : lines.slice(start, end + 1).join('\n');
}

/**
 * The names in the first column of the Markdown table that follows `heading` in the README:
 * the first `code` span of each row.
 */
export function tableNames(readme: string, heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README: no heading "${heading}"`);
  const section = readme.slice(start + heading.length + 2);
  const lines = section.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const rows = lines.slice(first, lines.findIndex((line, index) => index > first && !line.startsWith('|')));
  return rows.slice(2).map((row) => /^\|\s*`([^`]+)`/.exec(row)?.[1] ?? `(a row without a name: ${row})`);
}
