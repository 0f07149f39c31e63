/** Drives a simulator's /sim/faults controls (latency, failures, drops, hangs, garbled answers). */
import { request } from 'undici';
import type { BackendDefinition } from '../../src/backend';

/** A running simulator and its backend (a TestPlugin is one). */
export interface SimulatorHandle {
  sim: { url: string };
  backend: BackendDefinition;
}

/** Sets faults (merged into the current ones), or clears them all with null. */
export async function faults(p: SimulatorHandle, body: object | null): Promise<void> {
  const { username, password } = p.backend.simulator!.credentials;
  const res = await request(`${p.sim.url}/sim/faults`, {
    method: body ? 'POST' : 'DELETE',
    headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`fault control refused: ${res.statusCode} ${text}`);
}
