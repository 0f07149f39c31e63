// API versions of the File Storage service, chosen per request by `Scp-Api-Version: filestorage <version>`: the
// current one answers a call that names none; a deprecated one is served until its "supported until" day ends.
import { invalidAt, retired } from './errors';

export type ApiVersion = '1.0' | '1.1';

interface VersionInfo {
  state: 'CURRENT' | 'DEPRECATED';
  /** Last day served (UTC), as the API reference gives it; undefined for the current version. */
  supportedUntil?: string;
}

/** The API reference of POST /v1/replications: 1.1 is CURRENT, 1.0 DEPRECATED and supported until 2025-12-31. */
export const VERSIONS: Record<ApiVersion, VersionInfo> = {
  '1.1': { state: 'CURRENT' },
  '1.0': { state: 'DEPRECATED', supportedUntil: '2025-12-31' },
};

export const CURRENT_VERSION: ApiVersion = '1.1';
const SERVICE = 'filestorage';

/** The version a request asks for, checked against the date `now`: 400 for an unknown one, 410 for a retired one. */
export function selectVersion(header: string | undefined, now: number): ApiVersion {
  if (header === undefined || header.trim() === '') return CURRENT_VERSION;
  const m = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  const known = Object.keys(VERSIONS).join(', ');
  if (!m || m[1] !== SERVICE || !(m[2] in VERSIONS)) {
    throw invalidAt(
      ['header', 'Scp-Api-Version'],
      `Unknown API version '${header}': this service serves '${SERVICE} <version>' with version ${known}`,
      'value_error.api_version',
      { given: header, supported: Object.keys(VERSIONS) },
    );
  }
  const version = m[2] as ApiVersion;
  const until = VERSIONS[version].supportedUntil;
  // Served through the whole of its last day (UTC).
  if (until && now >= Date.parse(`${until}T00:00:00Z`) + 24 * 3600 * 1000) {
    throw retired(
      `API version ${SERVICE} ${version} was deprecated and supported until ${until}; it is no longer served. Use ${SERVICE} ${CURRENT_VERSION} (send Scp-Api-Version: ${SERVICE} ${CURRENT_VERSION}, or no header for the current version)`,
    );
  }
  return version;
}
