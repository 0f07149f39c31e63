// /v1/replications: a volume's replications (list, create 202, show, set, delete), and the regions a volume of a
// type can replicate to.
import { Router } from 'express';
import type { RegionContext } from '../context';
import { invalidAt, notFound } from '../errors';
import type { Frequency } from '../state/model';
import { createReplication } from '../state/replication';
import { type ReplicationChange, deleteReplication, setReplication } from '../state/replication-changes';
import { PATTERN, bodyOf, param, queryOf, requiredQuery } from '../validate';
import { replicationCreated, replicationItem, replicationShow } from '../views';

export function replicationRoutes(ctx: RegionContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/v1/replications', (req, res) => {
    const v = state.volume(requiredQuery(req, 'volume_id'));
    const reps = state.replicationsOf(v.id);
    res.json({ count: reps.length, replications: reps.map(replicationItem) });
  });

  router.post('/v1/replications', async (req, res) => {
    const b = bodyOf(req);
    const v1 = res.locals.version === '1.0';
    const name = b.string('name', { required: true, pattern: PATTERN.volumeName });
    const region = b.string('region', { required: true });
    const frequency = b.string('replication_frequency', { required: true, pattern: PATTERN.frequency });
    const type = b.string('replication_type', { required: true, pattern: PATTERN.replicationType });
    const volumeId = b.string('volume_id', { required: true });
    // 1.0: 1 to 128 backups kept; 1.1: at most 2.
    const keep = b.int('backup_retention_count', { nullable: true, min: 1, max: v1 ? 128 : 2 }) ?? null;
    const cifs = b.string('cifs_password', { nullable: true, maxLength: 64 }) ?? null;
    b.done();
    const v = state.volume(volumeId as string);
    const rep = await createReplication(ctx, v, {
      name: name as string,
      region: region as string,
      replication_frequency: frequency as Frequency,
      replication_type: type as 'replication' | 'backup',
      backup_retention_count: type === 'backup' ? (keep ?? 2) : keep,
      cifs_password: cifs,
    });
    res.status(202).json(replicationCreated(rep));
  });

  router.get('/v1/replications/regions', (req, res) => {
    const q = queryOf(req);
    q.string('type_name', { required: true, pattern: PATTERN.replicableType, shown: 'HDD|SSD' });
    const source = q.string('source_region_name', { required: true });
    q.string('replication_type', { required: true, pattern: PATTERN.replicationType, shown: 'replication|backup' });
    q.done();
    const known = ctx.cloud.all();
    if (!known.has(source as string)) throw notFound(`Region ${source} not found`);
    res.json({ regions: [...ctx.cloud.others(source as string).keys()] });
  });

  router.get('/v1/replications/:replication_id', (req, res) => {
    const rep = state.replicationOf(requiredQuery(req, 'volume_id'), param(req, 'replication_id'));
    res.json(replicationShow(rep, res.locals.version));
  });

  router.put('/v1/replications/:replication_id', (req, res) => {
    const rep = state.replicationOf(requiredQuery(req, 'volume_id'), param(req, 'replication_id'));
    const v1 = res.locals.version === '1.0';
    const b = bodyOf(req);
    const kind = b.string('replication_update_type', {
      required: true,
      pattern: v1 ? PATTERN.updateType10 : PATTERN.updateType11,
      shown: v1 ? 'policy|modify_schedule' : 'policy|frequency',
    });
    const policy = b.string('replication_policy', { pattern: PATTERN.policy, shown: 'use|paused' });
    const frequency = b.string('replication_frequency', { pattern: PATTERN.frequency });
    const keep = v1 ? b.int('backup_retention_count', { nullable: true, min: 1, max: 128 }) : undefined;
    b.done();
    if (kind === 'policy' && !policy)
      throw invalidAt(['body', 'replication_policy'], 'A policy update names replication_policy', 'missing');
    if (kind !== 'policy' && !frequency)
      throw invalidAt(['body', 'replication_frequency'], 'A frequency update names replication_frequency', 'missing');
    setReplication(ctx, rep, {
      replication_update_type: kind as ReplicationChange['replication_update_type'],
      replication_policy: policy as 'use' | 'paused' | undefined,
      replication_frequency: frequency as Frequency | undefined,
      backup_retention_count: keep,
    });
    res.status(200).end();
  });

  router.delete('/v1/replications/:replication_id', (req, res) => {
    deleteReplication(ctx, state.replicationOf(requiredQuery(req, 'volume_id'), param(req, 'replication_id')));
    res.status(200).end();
  });

  return router;
}
