/** Where the tests find their Redis (a real one: the session store is never mocked). */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Failed logins are counted per address across every suite sharing the Redis, and suites log in from loopback and
 * send wrong credentials on purpose: apps that do not test the limits themselves raise them.
 */
export const TEST_LOGIN_LIMITS = { loginFailuresPerClient: 1_000_000, loginFailuresPerArray: 1_000_000 };
