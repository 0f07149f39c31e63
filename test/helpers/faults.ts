/** Drives a simulator's /sim/faults controls (latency, failures, drops, hangs, garbled answers). */
import { request } from 'undici';
import type { SimulatorKit } from '../../simulators';

/** A running simulator and its kit (a TestPlugin is one). */
export interface SimulatorHandle {
  sim: { url: string };
  kit: SimulatorKit;
}

/** Sets faults (merged into the current ones), or clears them all with null. */
export async function faults(p: SimulatorHandle, body: object | null): Promise<void> {
  const { username, password } = p.kit.credentials;
  const res = await request(`${p.sim.url}/sim/faults`, {
    method: body ? 'POST' : 'DELETE',
    headers: {
      authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`fault control refused: ${res.statusCode} ${text}`);
}
