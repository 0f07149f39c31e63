/** Baseline for an authenticated call: an Express app that does one Redis GET and answers JSON (the floor). */
import express from 'express';
import Redis from 'ioredis';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const app = express();
app.get('/storage', async (req, res) => {
  const value = await redis.get(`bench:baseline:${req.get('x-storageplugin-sessionid') ?? ''}`);
  res.json({ name: 'baseline', id: 'baseline', value });
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('baseline ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
