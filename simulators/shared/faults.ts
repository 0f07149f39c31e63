// Fault injection shared by the simulators, for client reliability tests: latency, failed, dropped, hung and garbled
// API calls.
import type { Request, RequestHandler, Response, Router } from 'express';

/** How one simulator speaks: the vendor's error body for an injected failure, and its "invalid parameter" error. */
export interface FaultDialect {
  /** Answer an injected failure of HTTP `status` in the vendor's error format. */
  fail(req: Request, res: Response, status: number): void;
  /** The error a bad fault setting is refused with. */
  invalid(message: string): Error;
  /** Which `failStatus` values make sense for this vendor. @default an HTTP error status (400-599) */
  allowedStatus?(status: number): boolean;
  /** Said when `allowedStatus` refuses a value. @default 'failStatus must be an HTTP error status (400-599)' */
  statusRule?: string;
}

export interface FaultSettings {
  /** Added before every /api call is handled. */
  latencyMs: number;
  /** The next N /api calls answer `failStatus` without doing anything. */
  failNext: number;
  /** @default 500 (the body is the vendor's error for that status, see FaultDialect.fail) */
  failStatus: number;
  /** The next N /api calls have their socket destroyed without an answer, before anything is done. */
  dropNext: number;
  /** The next N /api calls are never answered (until the client gives up or the simulator closes). */
  hangNext: number;
  /** The next N /api calls are carried out, then answer 200 with the JSON body cut in half. */
  garbleNext: number;
  /** When set (e.g. "POST"), the counted faults above only hit calls with this HTTP method. */
  onlyMethod: string;
  /**
   * Bytes per second at which replication leaves this simulator; 0 keeps the rate it was started with.
   * Not a fault, but a runtime knob tests need (a slow transfer to interrupt) next to the others.
   */
  replicationRate: number;
}

const defaults = (): FaultSettings => ({
  latencyMs: 0,
  failNext: 0,
  failStatus: 500,
  dropNext: 0,
  hangNext: 0,
  garbleNext: 0,
  onlyMethod: '',
  replicationRate: 0,
});

export class FaultController {
  private settings = defaults();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly dialect: FaultDialect) {}

  get current(): FaultSettings {
    return { ...this.settings };
  }

  /** Merge the given fields (POST /sim/faults); unknown or negative values are refused. */
  update(body: Record<string, unknown>): FaultSettings {
    const invalid = (m: string) => this.dialect.invalid(m);
    const next = { ...this.settings };
    for (const [key, value] of Object.entries(body)) {
      if (!(key in next)) throw invalid(`Unknown fault ${key}: use ${Object.keys(next).join(', ')}`);
      if (key === 'onlyMethod') {
        if (typeof value !== 'string' || !/^[A-Za-z]*$/.test(value))
          throw invalid('onlyMethod must be an HTTP method name, or empty for all');
        next.onlyMethod = value.toUpperCase();
        continue;
      }
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
        throw invalid(`Fault ${key} must be a non-negative integer`);
      (next as unknown as Record<string, number>)[key] = value;
    }
    const allowed = this.dialect.allowedStatus ?? ((n: number) => n >= 400 && n <= 599);
    if (!allowed(next.failStatus))
      throw invalid(this.dialect.statusRule ?? 'failStatus must be an HTTP error status (400-599)');
    this.settings = next;
    return this.current;
  }

  /** The replication rate in force: the runtime setting, else the simulator's start option. */
  replicationRate(startRate: number): number {
    return this.settings.replicationRate || startRate;
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
      if (s.onlyMethod && req.method !== s.onlyMethod) return next();
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
        this.dialect.fail(req, res, s.failStatus);
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

type Handler = (req: Request, res: Response) => void | Promise<void>;

/**
 * GET (current settings), POST (merge) and DELETE (clear) `/faults` on a simulator's `/sim` router.
 * `readBody` reads the POSTed JSON object the simulator's way; `wrap` gives the handlers the simulator's
 * error answers (a refused setting is the vendor's "invalid" error).
 */
export function faultRoutes(
  router: Router,
  faults: FaultController,
  readBody: (req: Request) => Record<string, unknown> | Promise<Record<string, unknown>>,
  wrap: (h: Handler) => Handler = (h) => h,
): void {
  router.get(
    '/faults',
    wrap((_req, res) => void res.json(faults.current)),
  );
  router.post(
    '/faults',
    wrap(async (req, res) => void res.json(faults.update(await readBody(req)))),
  );
  router.delete(
    '/faults',
    wrap((_req, res) => void res.json(faults.clear())),
  );
}

/** Whatever the handler answers becomes a 200 whose JSON is cut in half: a proper prefix of JSON never parses. */
function garble(res: Response): void {
  const send = res.send.bind(res);
  res.send = ((body?: unknown) => {
    const text =
      typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body ?? {});
    res.status(200).type('application/json');
    return send(text.slice(0, Math.max(1, Math.floor(text.length / 2))));
  }) as Response['send'];
}
