// The asynchronous model: mutations become jobs (queued, running, success, failure) read at /api/cluster/jobs/{uuid}.
import type { Request, Response } from 'express';
import type { SimContext } from '../context';
import { ONTAP_ERROR, OntapError, invalidValue, sendError } from '../errors';
import type { JobRecord } from './model';
import { queryOf } from '../query';

/** Jobs kept for reading back; older ones are forgotten as a cluster does. */
const KEEP_JOBS = 2000;
/** ONTAP refuses a return_timeout above 120 seconds. */
const MAX_RETURN_TIMEOUT = 120;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function jobView(job: JobRecord): Record<string, unknown> {
  return {
    uuid: job.uuid,
    description: job.description,
    state: job.state,
    message: job.message,
    code: job.code,
    start_time: iso(job.start_time),
    ...(job.end_time === undefined ? {} : { end_time: iso(job.end_time) }),
    ...(job.error ? { error: job.error } : {}),
    ...(job.svm ? { svm: { uuid: job.svm } } : {}),
    _links: { self: { href: `/api/cluster/jobs/${job.uuid}` } },
  };
}

export const jobLink = (job: JobRecord) => ({
  uuid: job.uuid,
  _links: { self: { href: `/api/cluster/jobs/${job.uuid}` } },
});

export class Jobs {
  /** HTTP status a failed job's error would have had as a direct answer (for return_timeout). */
  private readonly statuses = new Map<string, number>();
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly ctx: SimContext) {}

  /** Queue `work`; it runs when the job completes, and an OntapError it throws fails the job. */
  start(description: string, work: () => void, svm?: string): JobRecord {
    const { state, settings } = this.ctx;
    const job: JobRecord = {
      uuid: state.newUuid(),
      seq: state.nextSeq(),
      description,
      state: 'queued',
      message: 'Queued',
      code: 0,
      start_time: Date.now(),
      svm,
    };
    state.jobs.set(job.uuid, job);
    this.prune();
    const failing = settings.failNextJobs > 0;
    if (failing) settings.failNextJobs--;
    const ms = settings.jobMs;
    this.ctx.later(Math.floor(ms / 2), () => {
      if (job.state === 'queued') Object.assign(job, { state: 'running', message: 'Running' });
    });
    this.ctx.later(ms, () => {
      try {
        if (failing) throw new OntapError(500, ONTAP_ERROR.JOB_FAILED, 'Simulated job failure (fault injection)');
        work();
        Object.assign(job, { state: 'success', message: 'success', code: 0, end_time: Date.now() });
      } catch (err) {
        const e =
          err instanceof OntapError
            ? err
            : new OntapError(500, ONTAP_ERROR.JOB_FAILED, err instanceof Error ? err.message : String(err));
        Object.assign(job, {
          state: 'failure',
          message: e.message,
          code: Number(e.code),
          end_time: Date.now(),
          error: { code: e.code, message: e.message, ...(e.target ? { target: e.target } : {}) },
        });
        this.statuses.set(job.uuid, e.status);
      }
      for (const wake of this.waiters.get(job.uuid) ?? []) wake();
      this.waiters.delete(job.uuid);
    });
    return job;
  }

  /** Resolves when the job is done or after `ms`, whichever comes first. */
  settled(job: JobRecord, ms: number): Promise<void> {
    if (job.state === 'success' || job.state === 'failure' || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.waiters.get(job.uuid) ?? [];
      list.push(resolve);
      this.waiters.set(job.uuid, list);
      this.ctx.later(ms, resolve);
    });
  }

  statusOf(job: JobRecord): number {
    return this.statuses.get(job.uuid) ?? 500;
  }

  dispose(): void {
    for (const list of this.waiters.values()) for (const wake of list) wake();
    this.waiters.clear();
  }

  private prune(): void {
    const { jobs } = this.ctx.state;
    if (jobs.size <= KEEP_JOBS) return;
    const oldest = [...jobs.values()]
      .filter((j) => j.state === 'success' || j.state === 'failure')
      .sort((a, b) => a.seq - b.seq);
    for (const j of oldest.slice(0, jobs.size - KEEP_JOBS)) {
      jobs.delete(j.uuid);
      this.statuses.delete(j.uuid);
    }
  }
}

export function returnTimeout(req: Request): number {
  const raw = queryOf(req).get('return_timeout');
  if (raw === null) return 0;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > MAX_RETURN_TIMEOUT) throw invalidValue('return_timeout', raw);
  return n;
}

export interface AsyncAnswer {
  description: string;
  /** Checks everything and returns the change to make; run once to answer at once, again when the job runs. */
  plan: () => () => void;
  /** 201 when a POST creates something. */
  created?: boolean;
  /** The record a POST creates, for `return_records=true`. */
  record?: Record<string, unknown>;
  svm?: string;
}

/**
 * Answer a mutation the ONTAP way: validate now (errors answer directly), run the change as a job,
 * and answer 202 with the job, or, when `return_timeout` lets the job finish in time, 200/201
 * (or the job's error).
 */
export async function answerAsync(req: Request, res: Response, ctx: SimContext, a: AsyncAnswer): Promise<void> {
  const timeout = returnTimeout(req);
  a.plan();
  const job = ctx.jobs.start(a.description, () => a.plan()(), a.svm);
  await ctx.jobs.settled(job, timeout * 1000);
  const records =
    a.record && queryOf(req).get('return_records') === 'true' ? { num_records: 1, records: [a.record] } : {};
  if (timeout > 0 && job.state === 'failure' && job.error) {
    sendError(res, ctx.jobs.statusOf(job), job.error.code, job.error.message, job.error.target);
    return;
  }
  const status = timeout > 0 && job.state === 'success' ? (a.created ? 201 : 200) : 202;
  res.status(status).json({ ...records, job: jobLink(job) });
}
