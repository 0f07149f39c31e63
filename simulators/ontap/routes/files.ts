// /api/storage/volumes/{uuid}/files/{path} (list, delete) and /api/storage/file/copy (a job copying files and LUNs
// between volumes).
import { Router } from 'express';
import type { SimContext } from '../context';
import { invalidValue, required } from '../errors';
import { answerAsync } from '../state/jobs';
import { type CopyRequest, deleteFile, findFile, planCopy } from '../state/files';
import type { VolumeRecord } from '../state/model';
import type { Json } from '../query';
import type { OntapState } from '../state/state';
import { allowOnly, bodyOf, optBool, optObject, optRef, param, reqString, resolve, type Body } from '../validate';

function entries(state: OntapState, volume: VolumeRecord, path: string): Json[] {
  const ref = { uuid: volume.uuid, name: volume.name };
  const clean = path.replace(/^\/+|\/+$/g, '');
  const fileEntry = (prefix: string, files: Map<string, { length: number }>, luns: string[]) =>
    [...files].map(([name, map]) => ({
      name,
      path: `${prefix}${name}`,
      type: luns.includes(name) ? 'lun' : 'file',
      size: map.length,
      volume: ref,
    }));
  if (clean === '') {
    return [
      { name: '.snapshot', path: '.snapshot', type: 'directory', size: 4096, volume: ref },
      ...fileEntry(
        '',
        volume.files,
        state.lunsOf(volume.uuid).map((l) => l.file),
      ),
    ];
  }
  if (clean === '.snapshot') {
    return state
      .snapshotsOf(volume.uuid)
      .map((s) => ({ name: s.name, path: `.snapshot/${s.name}`, type: 'directory', size: 4096, volume: ref }));
  }
  const snapDir = /^\.snapshot\/([^/]+)$/.exec(clean);
  if (snapDir) {
    const snap = state.snapshotsOf(volume.uuid).find((s) => s.name === snapDir[1]);
    if (!snap) return [];
    return fileEntry(
      `.snapshot/${snap.name}/`,
      snap.files,
      snap.luns.map((l) => l.file),
    );
  }
  const file = findFile(state, volume, clean);
  return file
    ? [{ name: file.name, path: clean, type: file.lun ? 'lun' : 'file', size: file.map.length, volume: ref }]
    : [];
}

function endpoint(state: OntapState, body: Body, field: string): { volume: VolumeRecord; path: string } {
  const o = optObject(body, field);
  if (!o) throw required(`files_to_copy.${field}`);
  const volRef = optRef(o, 'volume');
  if (!volRef) throw required(`files_to_copy.${field}.volume`);
  const svmRefd = optRef(o, 'svm');
  const candidates = [...state.volumes.values()].filter(
    (v) => !svmRefd || v.svm === svmRefd.uuid || state.svm(v.svm).name === svmRefd.name,
  );
  return { volume: resolve(candidates, volRef, `files_to_copy.${field}.volume`, 'Volume'), path: reqString(o, 'path') };
}

export function fileRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();

  router.get('/storage/volumes/:uuid/files/:path', (req, res) => {
    const volume = state.volume(param(req, 'uuid'));
    const records = entries(state, volume, param(req, 'path'));
    res.json({ records, num_records: records.length, _links: { self: { href: req.baseUrl + req.url } } });
  });

  router.delete('/storage/volumes/:uuid/files/:path', (req, res) => {
    deleteFile(state, state.volume(param(req, 'uuid')), param(req, 'path'));
    res.json({});
  });

  router.post('/storage/file/copy', async (req, res) => {
    const body = bodyOf(req);
    allowOnly(body, ['files_to_copy', 'overwrite_destination']);
    const list = body.files_to_copy;
    if (!Array.isArray(list) || list.length === 0) throw required('files_to_copy');
    const overwrite = optBool(body, 'overwrite_destination') ?? false;
    const copies: CopyRequest[] = list.map((item) => {
      if (typeof item !== 'object' || item === null) throw invalidValue('files_to_copy', item);
      return {
        source: endpoint(state, item as Body, 'source_path'),
        destination: endpoint(state, item as Body, 'destination_path'),
        overwrite,
      };
    });
    await answerAsync(req, res, ctx, {
      description: 'POST /api/storage/file/copy',
      plan: () => {
        const plans = copies.map((c) =>
          planCopy(state, {
            ...c,
            source: { ...c.source, volume: state.volume(c.source.volume.uuid) },
            destination: { ...c.destination, volume: state.volume(c.destination.volume.uuid) },
          }),
        );
        return () => plans.forEach((p) => p());
      },
      svm: copies[0].destination.volume.svm,
    });
  });

  return router;
}
