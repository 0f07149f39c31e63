// Fault injection for client reliability tests: latency, failed, dropped, hung and garbled /api calls.
import type { RequestHandler, Response } from 'express';
import { invalid, sendError, typeForStatus } from './errors';
import type { Body } from './validate';

export interface FaultSettings {
  /** Added before every /api call is handled. */
  latencyMs: number;
  /** The next N /api calls answer `failStatus` without doing anything. */
  failNext: number;
  /** @default 500 (body type InternalError; other statuses get their own error type) */
  failStatus: number;
  /** The next N /api calls have their socket destroyed without an answer, before anything is done. */
  dropNext: number;
  /** The next N /api calls are never answered (until the client gives up or the simulator closes). */
  hangNext: number;
  /** The next N /api calls are carried out, then answer 200 with the JSON body cut in half. */
  garbleNext: number;
}

const defaults = (): FaultSettings => ({ latencyMs: 0, failNext: 0, failStatus: 500, dropNext: 0, hangNext: 0, garbleNext: 0 });

export class FaultController {
  private settings = defaults();
  private readonly timers = new Set<NodeJS.Timeout>();

  get current(): FaultSettings {
    return { ...this.settings };
  }

  /** Merge the given fields (POST /sim/faults); unknown or negative values are refused. */
  update(body: Body): FaultSettings {
    const next = { ...this.settings };
    for (const [key, value] of Object.entries(body)) {
      if (!(key in next)) throw invalid(`Unknown fault ${key}: use ${Object.keys(next).join(', ')}`);
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw invalid(`Fault ${key} must be a non-negative integer`);
      next[key as keyof FaultSettings] = value;
    }
    if (next.failStatus < 400 || next.failStatus > 599) throw invalid('failStatus must be an HTTP error status (400-599)');
    this.settings = next;
    return this.current;
  }

  clear(): FaultSettings {
    this.settings = defaults();
    return this.current;
  }

  /** Stop pending latency timers so a closing simulator leaves nothing behind. */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  middleware(): RequestHandler {
    return async (req, res, next) => {
      if (this.settings.latencyMs > 0) await this.sleep(this.settings.latencyMs);
      const s = this.settings;
      if (s.hangNext > 0) {
        s.hangNext--;
        return; // never answered: server.close() tears the socket down
      }
      if (s.dropNext > 0) {
        s.dropNext--;
        req.socket.destroy();
        return;
      }
      if (s.failNext > 0) {
        s.failNext--;
        sendError(res, s.failStatus, typeForStatus(s.failStatus), 'Simulated failure (fault injection)');
        return;
      }
      if (s.garbleNext > 0) {
        s.garbleNext--;
        garble(res);
      }
      next();
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

/** Whatever the handler answers becomes a 200 whose JSON is cut in half: a proper prefix of JSON never parses. */
function garble(res: Response): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? {});
    res.status(200).type('application/json');
    return send(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  }) as Response['send'];
}
