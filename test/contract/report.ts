/**
 * The readable report: a line per check under its group; failures say where (endpoint, status, JSON path) and why,
 * skips say why.
 */
import type { CheckResult, SuiteReport } from './runner';

const MARK = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip' } as const;

/** One check as report lines (the group heading is printed by the caller). */
export function formatResult(r: CheckResult): string[] {
  const lines = [`  ${MARK[r.status]} ${r.name}${r.status === 'passed' ? ` (${r.ms} ms)` : ''}`];
  if (r.status === 'failed') {
    const where = [
      r.endpoint,
      r.httpStatus === undefined ? undefined : `-> ${r.httpStatus}`,
      r.path ? `at ${r.path}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    if (where) lines.push(`         ${where}`);
    lines.push(...(r.reason ?? '').split('\n').map((l) => `         ${l}`));
  }
  if (r.status === 'skipped') lines.push(`         because ${r.reason}`);
  for (const n of r.notes ?? []) lines.push(`         - ${n}`);
  return lines;
}

/** A streaming printer: the group heading when the group changes, then the check. */
export function printer(write: (line: string) => void): (r: CheckResult) => void {
  let last = '';
  return (r) => {
    if (r.group !== last) {
      write(`\n${r.group}`);
      last = r.group;
    }
    for (const l of formatResult(r)) write(l);
  };
}

export function header(r: Pick<SuiteReport, 'plugin' | 'array'>): string {
  return `CDM storage plugin contract suite\n  plugin ${r.plugin.url}\n  array  ${r.array}`;
}

export function footer(r: SuiteReport): string {
  const { passed, failed, skipped } = r.summary;
  const lines = [
    '',
    `plugin ${r.plugin.id ?? '?'} ${r.plugin.version ?? ''} on server ${r.serverId ?? '?'}; fixture: ${r.fixture}`,
    `${passed} passed, ${failed} failed, ${skipped} skipped in ${(r.durationMs / 1000).toFixed(1)} s (${r.httpCalls} HTTP calls)`,
  ];
  if (failed) {
    lines.push('', 'failed:');
    for (const f of r.results.filter((x) => x.status === 'failed'))
      lines.push(`  [${f.group}] ${f.name}${f.endpoint ? ` (${f.endpoint}${f.path ? ` at ${f.path}` : ''})` : ''}`);
  }
  return lines.join('\n');
}
