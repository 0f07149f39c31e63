/**
 * HTTP calls on one simulator as an administrator's script makes them (the fixtures, the pairing scripts): Basic auth
 * with the simulator's account, raw bytes or JSON, and an error naming the call for any answer that is not 2xx.
 */
import { Agent, type Dispatcher, request } from 'undici';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const basicAuth = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;

export interface AdminClient {
  /** One call; `body` goes out as `type`. Answers the status and the raw body. */
  call(method: Method, path: string, body?: Buffer | string, type?: string): Promise<{ status: number; buf: Buffer }>;
  /** One call with a JSON body (when given); answers the parsed JSON answer (`{}` when empty) and the status. */
  json<T>(method: Method, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The keep-alive pool the calls go through (shared with other clients of the same script). */
  dispatcher: Dispatcher;
  close(): Promise<void>;
}

export function adminClient(url: string, username = 'admin', password = 'simulator'): AdminClient {
  const dispatcher = new Agent({ keepAliveTimeout: 1000 });
  const headers = { authorization: basicAuth(username, password) };
  const call: AdminClient['call'] = async (method, path, body, type = 'application/json') => {
    const res = await request(`${url}${path}`, {
      method,
      body,
      dispatcher,
      headers: body === undefined ? headers : { ...headers, 'content-type': type },
    });
    const buf = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: HTTP ${res.statusCode} ${buf.toString()}`);
    return { status: res.statusCode, buf };
  };
  return {
    call,
    async json<T>(method: Method, path: string, body?: unknown) {
      const { status, buf } = await call(method, path, body === undefined ? undefined : JSON.stringify(body));
      return { status, body: JSON.parse(buf.toString() || '{}') as T };
    },
    dispatcher,
    close: () => dispatcher.close(),
  };
}
