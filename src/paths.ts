/** Where the project's files are, whether the code runs from TypeScript sources (tsx) or from the compiled dist/. */
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'api-spec'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the project root above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(__dirname);
