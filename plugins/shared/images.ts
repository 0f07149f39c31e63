/** RFC-2397 data URLs of the PNG images a backend ships (CDM shows them; it wants 48x48 and 16x16). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

export function pngDataUrl(file: string): string {
  return `data:image/png;base64,${readFileSync(file).toString('base64')}`;
}

/** A backend's 48x48 image and 16x16 icon, shipped as plugins/<name>/assets/{image-48,icon-16}.png. */
export function backendImages(name: string): { imageUrl: string; iconUrl: string } {
  const dir = path.join(PROJECT_ROOT, 'plugins', name, 'assets');
  return { imageUrl: pngDataUrl(path.join(dir, 'image-48.png')), iconUrl: pngDataUrl(path.join(dir, 'icon-16.png')) };
}
