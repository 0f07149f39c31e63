/** Reaching a paired array an array names: the allowlist first, then the account configured for it. */
import type { BackendOptions } from '../../src/backend';
import type * as T from '../../src/domain/types';
import { StorageError } from '../../src/domain/errors';

/**
 * The credentials to call the paired array at `host`:`port` with (REMOTE_ARRAY_CREDENTIALS for it, else the session's
 * own). The address comes from the array, not from CDM, so it is held to ARRAY_ALLOWLIST as a login is: an array must
 * not be able to send the plugin, with the session's credentials, somewhere the operator did not allow.
 */
export function pairedCredentials(
  options: Pick<BackendOptions, 'allowsArray' | 'remoteCredentials'>,
  host: string,
  port: number,
  own: T.Credentials,
): T.Credentials {
  if (options.allowsArray && !options.allowsArray(host, port))
    throw new StorageError(
      'ARRAY_NOT_ALLOWED',
      `the paired array ${host} port ${port} is not one the plugin is allowed to reach (ARRAY_ALLOWLIST)`,
    );
  return options.remoteCredentials?.(host, port) ?? own;
}
