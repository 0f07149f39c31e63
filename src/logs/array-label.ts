/**
 * The `array` field of log lines about one array: backend and address. GET /log hands a caller only the lines of its
 * own session's array, matched on this field.
 */

/** `<backend>@<host>:<port>`, the host lower-cased and an IPv6 literal bracketed, so one array has one label. */
export function arrayLabel(
  backend: string,
  target: { hostname?: string; ipAddress?: string; port?: number },
  defaultPort?: number,
): string {
  const host = (target.ipAddress ?? target.hostname ?? '').toLowerCase();
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${backend}@${h}:${target.port ?? defaultPort ?? ''}`;
}

/**
 * The `array` of lines for the operator only (the start-up configuration: allowlist entries, the hosts of
 * REMOTE_ARRAY_CREDENTIALS): no array's label (they all hold '@'), so GET /log gives them to no caller. The operator
 * reads them on stdout or in the file.
 */
export const OPERATOR_ONLY = 'operator-only';

/** The label as it appears between the quotes of `"array":"..."` in a JSON log line. */
const inJson = (label: string) => JSON.stringify(label).slice(1, -1);

/** pino writes the field as `"array":"<label>"`; the first one on the line is the line's own (bindings come first). */
const FIELD = /"array":"((?:[^"\\]|\\.)*)"/;

/**
 * Whether a caller on `label`'s array may see the line: lines about its array, and lines about no array (the plugin's
 * own start, stop and store state, which name no array and no user). Lines about other arrays, and the operator's
 * (OPERATOR_ONLY), are left out.
 */
export function lineVisibleTo(label: string): (line: string) => boolean {
  const own = inJson(label);
  return (line) => {
    const m = FIELD.exec(line);
    return !m || m[1] === own;
  };
}
