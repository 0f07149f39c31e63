// Serves a simulator's Express app on a port and closes it completely (keep-alive and hung sockets too).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface Listening {
  /** e.g. http://127.0.0.1:8900 */
  url: string;
  port: number;
  /** Runs `beforeClose` (stop timers, save state) once, then closes the server. */
  close(): Promise<void>;
}

export async function listenApp(app: Express, port: number, host: string, beforeClose: () => void): Promise<Listening> {
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}`,
    port: actual,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        beforeClose();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // keep-alive and hung sockets would hold close() open
      });
      return closing;
    },
  };
}
