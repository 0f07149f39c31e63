// /v1/volumes and /v1/volumes/{volume_id}/access-rules: list, create (202, also from a snapshot), show, set (202),
// delete (202), and the access rules of a volume.
import { Router } from 'express';
import type { RegionContext } from '../context';
import type { Protocol, Tag, TypeName, VolumeRecord } from '../state/model';
import { createVolume, deleteVolume, setAccessRule, setFileUnitRecovery } from '../state/volumes';
import { PATTERN, bodyOf, param, queryOf } from '../validate';
import { accessRules, volumeItem, volumeShow } from '../views';

const SORTS: Record<string, (a: { name: string; created_at: string; id: string }, b: typeof a) => number> = {
  'name:asc': (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  'name:desc': (a, b) => b.name.localeCompare(a.name) || b.id.localeCompare(a.id),
  'created_at:asc': (a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id),
  'created_at:desc': (a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id),
};

export function volumeRoutes(ctx: RegionContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/v1/volumes', (req, res) => {
    const q = queryOf(req);
    const offset = q.int('offset', { min: 0, default: 0 }) ?? 0;
    const limit = q.int('limit', { min: 1, default: 20 }) ?? 20;
    const name = q.string('name');
    const type = q.string('type_name', { pattern: PATTERN.typeName });
    const sort = q.string('sort', { pattern: PATTERN.sort }) ?? 'created_at:desc';
    q.done();
    // Volumes are kept in creation order: an unfiltered page in that order is read off the map, without copying or
    // sorting the whole list (a page stays cheap at 100,000 volumes).
    if (name === undefined && type === undefined && sort === 'created_at:asc') {
      const page: VolumeRecord[] = [];
      let i = 0;
      for (const v of state.volumes.values()) {
        if (i++ < offset) continue;
        if (page.length === limit) break;
        page.push(v);
      }
      return void res.json({ count: state.volumes.size, filestorages: page.map(volumeItem) });
    }
    let all = [...state.volumes.values()];
    if (name !== undefined || type !== undefined)
      all = all.filter(
        (v) => (name === undefined || v.name.includes(name)) && (type === undefined || v.type_name === type),
      );
    if (sort === 'created_at:desc') all.reverse();
    else if (sort !== 'created_at:asc') all.sort(SORTS[sort]);
    res.json({ count: all.length, filestorages: all.slice(offset, offset + limit).map(volumeItem) });
  });

  router.post('/v1/volumes', (req, res) => {
    const b = bodyOf(req);
    const name = b.string('name', { required: true, pattern: PATTERN.volumeName });
    const protocol = b.string('protocol', { required: true, pattern: PATTERN.protocol }) as Protocol | undefined;
    const type = b.string('type_name', { required: true, pattern: PATTERN.typeName }) as TypeName | undefined;
    const cifs = b.string('cifs_password', { nullable: true, maxLength: 64 });
    const snapshotId = b.string('snapshot_id', { nullable: true });
    const tags = tagsOf(b);
    if (protocol === 'CIFS' && !cifs)
      b.errors.push({ loc: ['body', 'cifs_password'], msg: 'A CIFS volume needs a password', type_: 'missing' });
    b.done();
    const v = createVolume(ctx, {
      name: name as string,
      protocol: protocol as Protocol,
      type_name: type as TypeName,
      account_id: res.locals.key.accountId,
      cifs_password: cifs ?? null,
      snapshot_id: snapshotId ?? null,
      tags,
    });
    res.status(202).json({
      protocol: v.protocol,
      snapshot_id: snapshotId ?? null,
      type_name: v.type_name,
      volume_id: v.id,
      volume_name: v.name,
    });
  });

  router.get('/v1/volumes/:volume_id', (req, res) => {
    res.json(volumeShow(state, state.volume(param(req, 'volume_id')), res.locals.version));
  });

  router.put('/v1/volumes/:volume_id', (req, res) => {
    const v = state.volume(param(req, 'volume_id'));
    const b = bodyOf(req);
    const enabled = b.bool('file_unit_recovery_enabled', true);
    b.done();
    setFileUnitRecovery(ctx, v, enabled as boolean);
    res.status(202).end();
  });

  router.delete('/v1/volumes/:volume_id', (req, res) => {
    deleteVolume(ctx, state.volume(param(req, 'volume_id')));
    res.status(202).end();
  });

  router.get('/v1/volumes/:volume_id/access-rules', (req, res) => {
    res.json(accessRules(state.volume(param(req, 'volume_id'))));
  });

  router.put('/v1/volumes/:volume_id/access-rules', (req, res) => {
    const v = state.volume(param(req, 'volume_id'));
    const b = bodyOf(req);
    const action = b.string('action', { required: true, pattern: PATTERN.action }) as 'add' | 'remove';
    const objectType = b.string('object_type', { required: true, pattern: PATTERN.objectType }) as string;
    const objectId = b.string('object_id', { required: true, pattern: /^\S+$/, shown: 'a non-empty id' }) as string;
    b.done();
    setAccessRule(ctx, v, action, objectType, objectId);
    res.status(202).json({ action, object_id: objectId, object_type: objectType, volume_id: v.id });
  });

  return router;
}

/** Schema Tag: at most 50, each with a key of at most 128 characters and a nullable value of at most 256. */
function tagsOf(b: ReturnType<typeof bodyOf>): Tag[] {
  const list = b.list('tags', 50) ?? [];
  return list.flatMap((t, i) => {
    const key = (t as Tag)?.key;
    const value = (t as Tag)?.value ?? null;
    if (typeof key !== 'string' || key.length === 0 || key.length > 128) {
      b.errors.push({
        loc: ['body', 'tags', String(i), 'key'],
        msg: 'A tag key is a string of 1 to 128 characters',
        type_: 'string_type',
      });
      return [];
    }
    if (value !== null && (typeof value !== 'string' || value.length > 256)) {
      b.errors.push({
        loc: ['body', 'tags', String(i), 'value'],
        msg: 'A tag value is a string of at most 256 characters',
        type_: 'string_type',
      });
      return [];
    }
    return [{ key, value }];
  });
}
