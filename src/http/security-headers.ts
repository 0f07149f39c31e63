/**
 * The security headers of a JSON API, set from one precomputed list (helmet's page-oriented set cost ~15% of a read).
 */
import type { Response } from 'express';

/**
 * What OWASP's REST Security Cheat Sheet asks of an API: no sniffing, no framing, no caching of
 * answers that carry array data, HSTS, and a CSP that allows nothing (nothing here is a page).
 */
const HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['Cache-Control', 'no-store'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
];

export function setSecurityHeaders(res: Response): void {
  for (const [name, value] of HEADERS) res.setHeader(name, value);
}
