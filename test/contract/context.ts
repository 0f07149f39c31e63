/**
 * What the checks share: the client, the session, the server under test and its flags, the fixture, what was created,
 * and which features the plugin answered as unsupported.
 */
import { randomBytes } from 'node:crypto';
import type { ArrayFixture } from '../../simulators';
import { expectStatus, ok, skip } from './check';
import type { ContractClient } from './client';

export interface SuiteOptions {
  /** The plugin's API base URL, e.g. http://127.0.0.1:8080/storageplugin/api. */
  url: string;
  /** The array the sessions are opened on, as POST /session names it. */
  array: { host: string; port: number };
  user: string;
  password: string;
  /** Backend whose simulator fixture makes volumes; by default the one /info's id names. */
  backend?: string;
  /** A fixture made by the caller (tests), or null to run without one. */
  fixture?: ArrayFixture | null;
  /** Fail (rather than skip) when no working fixture is available, as CI wants. */
  requireFixture?: boolean;
  /** Run only these groups (the session and server set-up always run). */
  only?: string[];
  /** Budget of one HTTP call. @default 60000 */
  timeoutMs?: number;
}

/** Whether the plugin serves a feature, and the answer that showed it. */
export interface Feature {
  supported: boolean;
  evidence: string;
}

export interface ServerFlags {
  id: string;
  name: string;
  supports: Record<string, boolean>;
  config: Record<string, boolean>;
}

/** Something the suite made, undone in reverse order by the cleanup check. */
export type Created =
  | { kind: 'volume'; id: string; name: string }
  | { kind: 'snapshot'; volumeId: string; id: string }
  | { kind: 'mapping'; hostId: string; lunId: string }
  | { kind: 'host'; id: string; name: string }
  | { kind: 'group'; id: string; name: string };

export const enc = encodeURIComponent;

export class SuiteContext {
  info?: { id: string; name: string; version: string };
  storageId?: string;
  server?: ServerFlags;
  fixture?: ArrayFixture;
  /** Whether the suite made the fixture (and closes it) or the caller gave it. */
  ownsFixture = false;
  /** Why there is no fixture, for the reasons of skipped checks. */
  fixtureNote = 'no fixture hook was set up';
  readonly features = new Map<string, Feature>();
  /** Names of the remote arrays, for add-replication-target. */
  remoteArrays: string[] = [];
  /**
   * A volume the array already had, for the checks that run without a fixture (they only add and remove their own
   * snapshots).
   */
  existingVolume?: string;
  /** The volume the snapshot checks use, the snapshot they made, and the replicated one where the server replicates. */
  snapVolume?: string;
  snap?: { id: string; name: string };
  replicated?: { id: string; name: string };
  /** replicate:true was refused with 409: the volume has no replication target the suite could follow. */
  replicationRefused?: boolean;
  /** LUNs of volumes the suite made, which it may map and online. */
  luns: { id: string; name: string; volumeId: string; naaId: string }[] = [];
  /** The host the suite created. */
  host?: { id: string; name: string; iqns: string[] };
  /** The array's first host group, if it has one (the contract cannot create them). */
  hostGroup?: { id: string; name: string };
  /** The consistency group the checks use: one the fixture made, else the array's first. */
  cg?: { id: string; volumeIds: string[]; ours: boolean };
  readonly created: Created[] = [];
  /** Volumes the cleanup leaves in a group of the suite's own (some arrays keep one volume in every group). */
  readonly keptByGroup: string[] = [];
  /** Notes of the check that is running (flags read, what was left behind), shown under it in the report. */
  notes: string[] = [];
  /** Short and unique per run, so runs against one array never collide (letters, digits and _ suit every vendor). */
  readonly runId = randomBytes(3).toString('hex');
  private n = 0;

  constructor(
    readonly api: ContractClient,
    readonly opts: SuiteOptions,
  ) {}

  name(prefix: string): string {
    return `cdmct_${this.runId}_${prefix}${++this.n}`;
  }

  note(message: string): void {
    this.notes.push(message);
  }

  get sid(): string {
    return this.api.sid ?? skip('needs a session, and none could be opened (see the session checks)');
  }

  get serverId(): string {
    void this.sid;
    return this.server?.id ?? skip('needs the server under test, which could not be read (see the server checks)');
  }

  /** `/server/<id>`, the prefix of every per-server path. */
  get srv(): string {
    return `/server/${enc(this.serverId)}`;
  }

  /** The array's fixture hook, or a skip saying why there is none. */
  needFixture(purpose: string): ArrayFixture {
    void this.sid;
    return (
      this.fixture ??
      skip(`${purpose}: needs a volume made through the fixture, and there is none (${this.fixtureNote})`)
    );
  }

  setFeature(name: string, supported: boolean, evidence: string): void {
    this.features.set(name, { supported, evidence });
    if (!supported) this.note(`${name}: not served (${evidence})`);
  }

  /** Skips unless the plugin showed it serves the feature. */
  requireFeature(name: string): void {
    const f = this.features.get(name);
    if (!f) skip(`${name}: unknown whether the plugin serves it, as the check that would show it did not pass`);
    if (!f.supported) skip(`${name}: the plugin answers 501 UNSUPPORTED (${f.evidence})`);
  }

  /** A flag of the server under test's `supports` or `config`. */
  flag(name: string): boolean {
    const s = this.server ?? skip('needs the server flags, which could not be read');
    const v = s.supports[name] ?? s.config[name];
    ok(typeof v === 'boolean', `the server has no flag ${name}`);
    return v;
  }

  /** A new volume through the fixture, optionally holding `content`; deleted by the cleanup. */
  async scratchVolume(purpose: string, type: 'filesystem' | 'lun' = 'filesystem', content?: Buffer): Promise<string> {
    const fixture = this.needFixture(purpose);
    const name = this.name(type === 'lun' ? 'lun' : 'vol');
    const { id } = await fixture.createVolume({ name, type, sizeBytes: 64 << 20 });
    this.created.push({ kind: 'volume', id, name });
    if (content) await fixture.write(id, content);
    return id;
  }

  /** A snapshot through the contract (201 expected); deleted by the cleanup. */
  async snapshot(volumeId: string, name = this.name('snap')): Promise<{ id: string; name: string }> {
    const res = await this.api.post(`${this.srv}/volume/${enc(volumeId)}/snapshot`, { name });
    expectStatus(res, 201);
    const snap = res.json as { id: string; name: string };
    this.created.push({ kind: 'snapshot', volumeId, id: snap.id });
    return snap;
  }

  /** Records a volume the contract made (clone, restore-to-new) so the cleanup deletes it. */
  madeVolume(id: string, name: string): void {
    this.created.push({ kind: 'volume', id, name });
  }
}
