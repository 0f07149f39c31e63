/** Reads a password from the terminal without echoing it (for the command-line tools). */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export async function readPassword(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('no terminal to ask the password on: set ARRAY_PASSWORD');
  let muted = false;
  // Everything typed after the question is swallowed instead of echoed.
  const output = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, (answer) => {
        process.stderr.write('\n');
        resolve(answer);
      });
      muted = true;
    });
  } finally {
    rl.close();
  }
}
