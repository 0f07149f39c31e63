/** RFC-2397 data URLs of the PNG images a backend ships (CDM shows them; it wants 48x48 and 16x16). */
import { readFileSync } from 'node:fs';

export function pngDataUrl(file: string): string {
  return `data:image/png;base64,${readFileSync(file).toString('base64')}`;
}
