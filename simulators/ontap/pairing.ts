/**
 * Pairs ONTAP simulators as an administrator would, through the REST API: cluster peering with a generated passphrase
 * then an SVM peer of the fixture SVMs, or a local SVM peer for intra-cluster SnapMirror.
 */
import { adminClient } from '../shared/admin-client';
import { DR_SVM_NAME, SVM_NAME } from './demo';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A small admin client of one cluster's REST API that waits for jobs (a 202 answer's job, to its end). */
export function adminApi(url: string, username = 'admin', password = 'simulator') {
  const client = adminClient(url, username, password);
  const call = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<Json> => {
    const { status, body: parsed } = await client.json<Json>(method, path, body);
    if (status === 202 && parsed.job?.uuid) await job(parsed.job.uuid);
    return parsed;
  };
  const job = async (uuid: string): Promise<void> => {
    for (let i = 0; i < 600; i++) {
      const j = await call('GET', `/api/cluster/jobs/${uuid}`);
      if (j.state === 'success') return;
      if (j.state === 'failure') throw new Error(`job ${uuid} failed: ${j.error?.message ?? j.message}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`job ${uuid} did not end`);
  };
  return { call, raw: client.call, close: client.close };
}

/**
 * The address one simulator gives a cluster peer of the other: bare, as ONTAP lists intercluster addresses, when the
 * two listen on different addresses and one port (as real clusters all answer on 443); else `host:port`, the
 * simulators' shorthand (the port is kept for their calls, the listing stays bare).
 */
export function peerAddressOf(url: string, otherUrl: string): string {
  const [a, b] = [new URL(url), new URL(otherUrl)];
  return a.hostname !== b.hostname && a.port === b.port ? a.hostname.replace(/^\[(.*)\]$/, '$1') : a.host;
}

/** The local name a cluster gives the peer SVM `svm` of cluster `cluster` (its own SVMs may have the same name). */
export const peerSvmAlias = (svm: string, cluster: string): string => `${svm}_${cluster}`;

/** The local name SVM `local` knows SVM `svm` of cluster `cluster` by, through its SVM peer (else `svm` itself). */
async function localNameOf(
  api: ReturnType<typeof adminApi>,
  local: string,
  svm: string,
  cluster: string,
): Promise<string> {
  const q = new URLSearchParams({
    'svm.name': local,
    'peer.svm.name': svm,
    'peer.cluster.name': cluster,
    fields: 'name',
  });
  const records = (await api.call('GET', `/api/svm/peers?${q}`)).records as Json[];
  return records[0]?.name ?? svm;
}

/**
 * The secondary generates a passphrase, the primary peers with it; then the primary's fixture SVM
 * and the secondary's are peered for SnapMirror (created on the secondary, where relationships are).
 * Pairing twice is harmless.
 */
export async function pairSimulators(primaryUrl: string, secondaryUrl: string, svm = SVM_NAME): Promise<void> {
  const primary = adminApi(primaryUrl);
  const secondary = adminApi(secondaryUrl);
  try {
    const [p, s] = await Promise.all([
      primary.call('GET', '/api/cluster?fields=name'),
      secondary.call('GET', '/api/cluster?fields=name'),
    ]);
    const peers = (await primary.call('GET', '/api/cluster/peers?fields=name,remote')).records as Json[];
    if (!peers.some((x) => x.name === s.name)) {
      const offer = await secondary.call('POST', '/api/cluster/peers', {
        remote: { ip_addresses: [peerAddressOf(primaryUrl, secondaryUrl)] },
        authentication: { generate_passphrase: true },
      });
      const passphrase = offer.records[0].authentication.passphrase as string;
      await primary.call('POST', '/api/cluster/peers', {
        remote: { ip_addresses: [peerAddressOf(secondaryUrl, primaryUrl)] },
        authentication: { passphrase },
      });
    }
    const svmPeers = (await secondary.call('GET', '/api/svm/peers?fields=svm,peer')).records as Json[];
    if (!svmPeers.some((x) => x.svm.name === svm && x.peer.svm.name === svm && x.peer.cluster.name === p.name)) {
      await secondary.call('POST', '/api/svm/peers?return_timeout=10', {
        svm: { name: svm },
        peer: { svm: { name: svm }, cluster: { name: p.name } },
        name: peerSvmAlias(svm, p.name),
        applications: ['snapmirror'],
      });
    }
  } finally {
    await Promise.allSettled([primary.close(), secondary.close()]);
  }
}

/** Peers two SVMs of one cluster for SnapMirror (no cluster peer: intra-cluster). Peering twice is harmless. */
export async function peerLocally(url: string, svm = SVM_NAME, peer = DR_SVM_NAME): Promise<void> {
  const admin = adminApi(url);
  try {
    const existing = (await admin.call('GET', `/api/svm/peers?svm.name=${svm}&peer.svm.name=${peer}&fields=peer`))
      .records as Json[];
    const { name } = await admin.call('GET', '/api/cluster?fields=name');
    if (!existing.some((x) => x.peer.cluster.name === name)) {
      await admin.call('POST', '/api/svm/peers?return_timeout=10', {
        svm: { name: svm },
        peer: { svm: { name: peer }, cluster: { name } },
        applications: ['snapmirror'],
      });
    }
  } finally {
    await admin.close();
  }
}

/**
 * Protects a volume to the partner: a DP volume of the same name and size in the partner's fixture
 * SVM, a SnapMirror relationship there with the vault policy XDPDefault (it makes no snapshot of its
 * own: CDM names the snapshots to send), initialized. Answers the DP volume's uuid.
 */
export async function protectVolume(
  sourceUrl: string,
  volumeId: string,
  partnerUrl: string,
  svm = SVM_NAME,
  policy = 'XDPDefault',
): Promise<string> {
  const source = adminApi(sourceUrl);
  const partner = adminApi(partnerUrl);
  try {
    const vol = await source.call('GET', `/api/storage/volumes/${encodeURIComponent(volumeId)}?fields=name,size,svm`);
    const { name: sourceCluster } = await source.call('GET', '/api/cluster?fields=name');
    const sourceSvm =
      sourceUrl === partnerUrl && vol.svm.name === svm
        ? svm
        : await localNameOf(partner, svm, vol.svm.name, sourceCluster);
    const made = await partner.call('POST', '/api/storage/volumes?return_timeout=10&return_records=true', {
      name: vol.name,
      svm: { name: svm },
      size: vol.size,
      type: 'dp',
      guarantee: { type: 'none' },
    });
    const replica = made.records[0].uuid as string;
    const rel = await partner.call('POST', '/api/snapmirror/relationships?return_timeout=10&return_records=true', {
      source: { path: `${sourceSvm}:${vol.name}` },
      destination: { path: `${svm}:${vol.name}` },
      policy: { name: policy },
    });
    const uuid = rel.records[0].uuid as string;
    await partner.call('PATCH', `/api/snapmirror/relationships/${uuid}?return_timeout=10`, { state: 'snapmirrored' });
    // The PATCH job ends once the initialize transfer started; the relationship is ready when it is snapmirrored.
    for (let i = 0; ; i++) {
      const r = await partner.call('GET', `/api/snapmirror/relationships/${uuid}?fields=state,transfer`);
      if (r.state === 'snapmirrored') break;
      if (r.transfer && ['failed', 'aborted', 'hard_aborted'].includes(r.transfer.state))
        throw new Error(`initializing relationship ${uuid} failed: ${JSON.stringify(r)}`);
      if (i > 1000) throw new Error(`relationship ${uuid} is still ${r.state}`);
      await new Promise((res) => setTimeout(res, 20));
    }
    return replica;
  } finally {
    await Promise.allSettled([source.close(), partner.close()]);
  }
}
