/** The configuration table of the README, generated from the declared settings (npm run docs:config rewrites it). */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Setting, SETTINGS } from './settings';

const START = '<!-- configuration table: generated from src/config/settings.ts by npm run docs:config -->';
const END = '<!-- end of configuration table -->';

const shown = (s: Setting): string => {
  if (s.shownDefault !== undefined) return s.shownDefault;
  if (s.default === undefined) return 'unset';
  if (typeof s.default === 'boolean') return `\`${s.default ? 'on' : 'off'}\``;
  if (Array.isArray(s.default)) return s.default.length ? `\`${s.default.join(',')}\`` : 'unset';
  return `\`${String(s.default)}\``;
};

export function configTable(): string {
  const rows = Object.values(SETTINGS).map(
    (s: Setting) =>
      `| \`${s.env}\` | ${s.kind.shape} | ${shown(s)} | ${s.description}${s.secret ? '. Never printed' : ''} |`,
  );
  return [START, '| variable | value | default | meaning |', '| --- | --- | --- | --- |', ...rows, END].join('\n');
}

/** The README with its table replaced by the generated one. */
export function withTable(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error(`the README has no configuration table markers (${START})`);
  return readme.slice(0, a) + configTable() + readme.slice(b + END.length);
}

if (require.main === module) {
  const file = path.join(__dirname, '../../README.md');
  writeFileSync(file, withTable(readFileSync(file, 'utf8')));
  console.log(`configuration table written to ${path.relative(process.cwd(), file)}`);
}
