// /api/snapmirror/policies: list, get, create, PATCH (the rules of the vendor document) and delete, as jobs.
import { Router } from 'express';
import type { SimContext } from '../context';
import { answerAsync } from '../state/jobs';
import { planCreatePolicy, planDeletePolicy } from '../state/policy-create';
import { planPatchPolicy } from '../state/policy-patch';
import type { PolicyRecord } from '../state/model';
import { type Json, answerCollection, answerRecord, fieldsOf } from '../query';
import { type OntapState, sorted } from '../state/state';
import { bodyOf, optRef, param, resolve } from '../validate';
import { SNAPMIRROR_POLICY_DOCUMENTED, withDocumented } from '../documented';

function scheduleRef(state: OntapState, uuid: string | undefined): Json | undefined {
  const s = uuid ? state.schedules.get(uuid) : undefined;
  return s && { uuid: s.uuid, name: s.name, _links: { self: { href: `/api/cluster/schedules/${s.uuid}` } } };
}

export function policyView(state: OntapState, p: PolicyRecord): Json {
  const svm = p.svm ? state.svms.get(p.svm) : undefined;
  const view: Json = {
    uuid: p.uuid,
    name: p.name,
    ...(svm ? { svm: { uuid: svm.uuid, name: svm.name } } : {}),
    scope: p.scope,
    type: p.type,
    ...(p.sync_type ? { sync_type: p.sync_type } : {}),
    comment: p.comment,
    ...(p.copy_all_source_snapshots ? { copy_all_source_snapshots: true } : {}),
    ...(p.copy_latest_source_snapshot ? { copy_latest_source_snapshot: true } : {}),
    create_snapshot_on_source: p.create_snapshot_on_source,
    ...(p.identity_preservation ? { identity_preservation: p.identity_preservation } : {}),
    network_compression_enabled: p.network_compression_enabled,
    retention: p.retention.map((r) => ({
      label: r.label,
      count: r.count,
      preserve: r.preserve,
      warn: r.warn,
      ...(r.creation_schedule ? { creation_schedule: scheduleRef(state, r.creation_schedule) } : {}),
      ...(r.prefix !== undefined ? { prefix: r.prefix } : {}),
      ...(r.period !== undefined ? { period: r.period } : {}),
    })),
    ...(p.rpo !== undefined ? { rpo: p.rpo } : {}),
    throttle: p.throttle,
    _links: { self: { href: `/api/snapmirror/policies/${p.uuid}` } },
  };
  const transfer = scheduleRef(state, p.transfer_schedule);
  if (transfer) view.transfer_schedule = transfer;
  const common = scheduleRef(state, p.sync_common_snapshot_schedule);
  if (common) view.sync_common_snapshot_schedule = common;
  return view;
}

const REF = { uuid: '', name: '' };
const SCHEDULE = { uuid: '', name: '', _links: { self: { href: '' } } };
const FIELDS = withDocumented(
  fieldsOf({
    uuid: '',
    name: '',
    svm: REF,
    scope: '',
    type: '',
    sync_type: '',
    comment: '',
    copy_all_source_snapshots: true,
    copy_latest_source_snapshot: true,
    create_snapshot_on_source: true,
    identity_preservation: '',
    network_compression_enabled: true,
    retention: [{ label: '', count: 0, preserve: false, warn: 0, creation_schedule: SCHEDULE, prefix: '', period: '' }],
    rpo: 0,
    throttle: 0,
    transfer_schedule: SCHEDULE,
    sync_common_snapshot_schedule: SCHEDULE,
    _links: { self: { href: '' } },
  }),
  SNAPMIRROR_POLICY_DOCUMENTED,
);
const KEYS = ['uuid', 'name'];

export function policyRoutes(ctx: SimContext): Router {
  const { state } = ctx;
  const router = Router();
  const base = '/snapmirror/policies';

  router.get(base, (req, res) =>
    answerCollection(
      req,
      res,
      {
        href: `/api${base}`,
        records: () => sorted(state.policies.values()),
        view: (p) => policyView(state, p),
        fields: FIELDS,
        keys: KEYS,
      },
      ctx.settings,
    ),
  );
  router.get(`${base}/:uuid`, (req, res) =>
    answerRecord(req, res, policyView(state, state.policy(param(req, 'uuid'))), FIELDS, KEYS),
  );

  router.post(base, async (req, res) => {
    const body = bodyOf(req);
    const ref = optRef(body, 'svm');
    const svm = ref ? resolve(state.svms.values(), ref, 'svm', 'SVM') : undefined;
    const input = { ...body };
    delete input.svm;
    const uuid = state.newUuid();
    await answerAsync(req, res, ctx, {
      description: `POST /api${base}/${uuid}`,
      plan: () => planCreatePolicy(state, uuid, input, svm),
      created: true,
      record: { uuid, name: body.name },
      svm: svm?.uuid,
    });
  });

  router.patch(`${base}/:uuid`, async (req, res) => {
    const policy = state.policy(param(req, 'uuid'));
    const body = bodyOf(req);
    await answerAsync(req, res, ctx, {
      description: `PATCH /api${base}/${policy.uuid}`,
      plan: () => planPatchPolicy(state, state.policy(policy.uuid), body),
      svm: policy.svm,
    });
  });

  router.delete(`${base}/:uuid`, async (req, res) => {
    const policy = state.policy(param(req, 'uuid'));
    await answerAsync(req, res, ctx, {
      description: `DELETE /api${base}/${policy.uuid}`,
      plan: () => planDeletePolicy(state, state.policy(policy.uuid)),
      svm: policy.svm,
    });
  });

  return router;
}
