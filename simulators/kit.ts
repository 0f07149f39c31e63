/**
 * What a simulator kit offers the CLI, the embedded start, tests and benchmarks: start a fake array, drive it as its
 * administrator, pair two.
 */

export interface SimulatorStartOptions {
  /** 0 picks a free port. @default the kit's defaultPort */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Load the state from this file at start and save it after every change. */
  stateFile?: string;
  /** Seed demo objects on a fresh state. @default true */
  demo?: boolean;
  /** Extra empty volumes on a fresh state, for scale tests and benchmarks. @default 0 */
  bulkVolumes?: number;
  /** Added to every vendor API call, in ms (fault controls, for benchmarks of parallelism). @default 0 */
  latencyMs?: number;
  /** Rate at which replication moves data off this array, in bytes per second. @default 64 MiB/s */
  replicationRate?: number;
  /**
   * For a cloud service reached per region (a `regional` kit): the regions one process serves, each on its own port
   * (0 picks a free one). The first is the one `url` and `port` name. @default the kit's own choice
   */
  regions?: { name: string; port: number }[];
}

export interface RunningSimulator {
  url: string;
  port: number;
  /** Every region the process serves, the first being `url` (regional kits only). */
  regions?: { name: string; url: string; port: number }[];
  close(): Promise<void>;
}

/**
 * What tests need from an array beyond the CDM contract (which cannot create volumes or see
 * content): volumes made through the vendor API as an administrator would, content through the
 * simulator's data plane.
 */
export interface ArrayFixture {
  /** The CDM server id the fixture creates its volumes on. */
  serverId: string;
  /**
   * A volume as CDM will see it under `serverId`. `type` is a preference: a block-only array creates
   * its single kind.
   */
  createVolume(opts: { name: string; type: 'filesystem' | 'lun'; sizeBytes: number }): Promise<{ id: string }>;
  deleteVolume(id: string): Promise<void>;
  /** Writes bytes at an offset of the volume's content. */
  write(volumeId: string, data: Buffer, offset?: number): Promise<void>;
  /** The volume's whole content. */
  read(volumeId: string): Promise<Buffer>;
  /** The content a snapshot (CDM ids) holds. */
  readSnapshot(volumeId: string, snapshotId: string): Promise<Buffer>;
  /** A consistency group holding the volumes, for arrays whose groups the contract cannot create. */
  createConsistencyGroup?(name: string, volumeIds: string[]): Promise<{ id: string }>;
  /**
   * Sets up replication of a volume to the paired array `partnerUrl` (already paired with `pair`)
   * through the vendor API, as an administrator would: a vSnap relationship, an Element volume pair,
   * a SnapMirror relationship. Answers the replica volume's id on the partner. An array that
   * replicates within itself takes its own URL: on ONTAP the replica is then in the local DR SVM.
   */
  protect?(volumeId: string, partnerUrl: string): Promise<{ replicaVolumeId: string }>;
  close(): Promise<void>;
}

export interface SimulatorKit {
  /** The vendor product the simulator plays. */
  displayName: string;
  /** Port the simulator listens on when none is given (a real array's API port may differ). */
  defaultPort: number;
  /** Default administrator account. */
  credentials: { username: string; password: string };
  /** A cloud service with one endpoint per region: `start` takes `regions`, and one process serves them all. */
  regional?: boolean;
  start(opts: SimulatorStartOptions): Promise<RunningSimulator>;
  fixture(url: string): ArrayFixture;
  /**
   * Pairs two running simulators through their vendor APIs as an administrator would, with each one's default account.
   */
  pair?(primaryUrl: string, secondaryUrl: string): Promise<void>;
  /**
   * Where the n-th (from 0) replication partner of a simulator listening at `primary` goes, for arrays that list their
   * peers by bare address because they all answer on one port (ONTAP): another loopback address, the same port.
   * Without it a partner takes any free port of the primary's address.
   */
  partnerAt?(primary: { host: string; port: number }, n: number): { host: string; port: number };
}
