/** The backend registry: BACKEND name -> definition. A new backend is a folder plus one line here. */
import type { BackendDefinition } from '../src/backend';
import element from './element';
import ontap from './ontap';
import scp from './scp';
import vsnap from './vsnap';

export const BACKENDS: Record<string, BackendDefinition> = {
  vsnap,
  element,
  ontap,
  scp,
};

export function backendNamed(name: string): BackendDefinition {
  const def = BACKENDS[name];
  if (!def) throw new Error(`unknown BACKEND '${name}'; valid backends: ${Object.keys(BACKENDS).join(', ')}`);
  return def;
}
