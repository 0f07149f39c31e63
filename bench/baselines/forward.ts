/**
 * Baseline for a forwarded call: an Express app that makes the same vendor call with the same keep-alive client and
 * answers its JSON.
 */
import express from 'express';
import { Agent, request } from 'undici';

// The vendor call to make, described by the benchmark (method, URL, headers, body).
const call = JSON.parse(process.env.BASELINE_CALL ?? '{}') as {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
};
const agent = new Agent({ connections: 16, keepAliveTimeout: 10_000 });
const app = express();
app.get('/forward', async (_req, res) => {
  const r = await request(call.url, { method: call.method, headers: call.headers, body: call.body, dispatcher: agent });
  res.status(r.statusCode).json(await r.body.json());
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('baseline ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
