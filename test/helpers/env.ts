/** Where the tests find their Redis (a real one: the session store is never mocked). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
