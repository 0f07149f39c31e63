/** The plugin's version, read from package.json so /info and the package never disagree. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const PLUGIN_VERSION: string = (JSON.parse(readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { version: string }).version;
