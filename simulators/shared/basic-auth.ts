/**
 * The `Authorization` header value of HTTP Basic auth, for the administrator scripts (fixtures, pairing) that call a
 * simulator.
 */
export const basicAuth = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
