// Volume settings the simulator keeps and answers but does not act on (snapshot policy, tiering, QoS, NAS ownership,
// efficiency ...): a client that sets them reads them back, so configuration tools converge instead of re-applying.
import { invalidValue } from '../errors';
import type { Json } from '../query';

type Check = (value: unknown) => boolean;
const oneOf =
  (...values: string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
const text: Check = (v) => typeof v === 'string' && v.length <= 256;
const bool: Check = (v) => typeof v === 'boolean';
const int =
  (min: number, max: number): Check =>
  (v) =>
    Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max;

/** The settings by dotted path, with the value a volume made with ONTAP's defaults reports. */
const SETTINGS: Record<string, { check: Check; rw: unknown; dp?: unknown }> = {
  'snapshot_policy.name': { check: text, rw: 'default', dp: 'none' },
  'tiering.policy': { check: oneOf('none', 'snapshot_only', 'auto', 'all', 'backup'), rw: 'none' },
  'tiering.min_cooling_days': { check: int(2, 183), rw: undefined },
  'encryption.enabled': { check: bool, rw: false },
  'efficiency.compression': { check: oneOf('inline', 'background', 'both', 'none', 'mixed'), rw: 'none' },
  'efficiency.dedupe': { check: oneOf('inline', 'background', 'both', 'none', 'mixed'), rw: 'none' },
  'efficiency.compaction': { check: oneOf('inline', 'none', 'mixed'), rw: 'none' },
  'efficiency.cross_volume_dedupe': { check: oneOf('inline', 'background', 'both', 'none', 'mixed'), rw: 'none' },
  'efficiency.policy.name': { check: text, rw: undefined },
  'qos.policy.name': { check: text, rw: undefined },
  'nas.security_style': { check: oneOf('unix', 'ntfs', 'mixed', 'unified'), rw: 'unix' },
  'nas.export_policy.name': { check: text, rw: 'default' },
  'nas.uid': { check: int(0, 2 ** 32 - 1), rw: 0 },
  'nas.gid': { check: int(0, 2 ** 32 - 1), rw: 0 },
  'nas.unix_permissions': { check: int(0, 7777), rw: 755 },
  'space.logical_space.enforcement': { check: bool, rw: false },
  'space.logical_space.reporting': { check: bool, rw: false },
  language: { check: text, rw: 'c.utf_8' },
  'analytics.state': { check: oneOf('on', 'off', 'unknown', 'initializing'), rw: undefined },
};

/** Every path a create or modify body may carry for these settings. */
export const VOLUME_SETTING_FIELDS = Object.keys(SETTINGS);

const at = (body: Json, path: string): unknown =>
  path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Json)[k] : undefined), body);

/** The settings a body gives, checked; unix permissions also come as an octal string ("0755", "755"). */
export function settingsOf(body: Json): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [path, { check }] of Object.entries(SETTINGS)) {
    let v = at(body, path);
    if (v === undefined) continue;
    if (path === 'nas.unix_permissions' && typeof v === 'string' && /^0?[0-7]{3,4}$/.test(v)) v = Number(v);
    if (!check(v)) throw invalidValue(path, v);
    out[path] = v;
  }
  return out;
}

/** The settings as a nested view (defaults overlaid with what was set), for a volume of this type. */
export function settingsView(type: 'rw' | 'dp', kept: Record<string, unknown> | undefined): Json {
  const view: Json = {};
  for (const [path, spec] of Object.entries(SETTINGS)) {
    const value = kept?.[path] ?? (type === 'dp' && 'dp' in spec ? spec.dp : spec.rw);
    if (value === undefined) continue;
    const keys = path.split('.');
    let o = view;
    for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Json;
    o[keys[keys.length - 1]] = value;
  }
  return view;
}

/** Deep merge of `b` into `a` (objects only), for the view. */
export function merge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] =
      cur && typeof cur === 'object' && !Array.isArray(cur) && v && typeof v === 'object' && !Array.isArray(v)
        ? merge(cur as Json, v as Json)
        : v;
  }
  return out;
}
