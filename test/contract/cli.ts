/**
 * `npm run test:contract -- --url ... --array ...`: runs the contract suite against a live plugin, prints the report,
 * exits 1 on any failure.
 */
import { writeFileSync } from 'node:fs';
import { USAGE, parseOptions } from './options';
import { footer, header, printer } from './report';
import { runSuite } from './runner';

async function main(): Promise<number> {
  let opts;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (message === USAGE) {
      console.log(USAGE);
      return 0;
    }
    console.error(message);
    return 2;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(header({ plugin: { url: opts.url }, array: `${opts.array.host}:${opts.array.port}` }));
  let report;
  try {
    report = await runSuite(opts, undefined, printer(out));
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 2;
  }
  out(footer(report));
  if (opts.report) {
    writeFileSync(opts.report, `${JSON.stringify(report, null, 2)}\n`);
    out(`report written to ${opts.report}`);
  }
  return report.summary.failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
