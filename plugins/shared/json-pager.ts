/**
 * Reads one page out of a JSON list answer as it streams in: `{"<key>": [ {...}, {...}, ... ], ...}`.
 * Only the objects inside the page are kept and parsed, so an array that cannot page (vSnap) costs a
 * byte scan per call instead of the whole list in memory (a 100,000-volume list is ~25 MB of JSON).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJ = 0x7b;
const CLOSE_OBJ = 0x7d;
const OPEN_ARR = 0x5b;
const CLOSE_ARR = 0x5d;

export interface PageOf<T> {
  items: T[];
  /** Elements of the list in all. */
  total: number;
}

/**
 * Feed chunks with push(), then call result(). Elements (objects or arrays) of the array under `key`
 * in the top-level object; `[start, end)` picks them by position.
 */
export class JsonPager<T = unknown> {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Depth of the list's array once found (its elements open at listDepth + 1). */
  private listDepth = -1;
  private listDone = false;
  private index = 0;
  private elementStart = -1;
  private parts: Buffer[] = [];
  private readonly items: T[] = [];
  /** The last string met directly in the top-level object (a key, when an array follows it). */
  private keyBytes: number[] | null = null;
  private lastKey = '';
  private readonly key: string;

  /** `key`: the member of the top-level object that holds the list; `map` keeps of each element only what it returns. */
  constructor(
    key: string,
    private readonly start: number,
    private readonly end: number,
    private readonly map: (element: unknown) => T = (e) => e as T,
  ) {
    this.key = key;
  }

  push(chunk: Buffer): void {
    let keepFrom = this.elementStart >= 0 && this.inPage() ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyBytes) this.lastKey = Buffer.from(this.keyBytes).toString('utf8');
          this.keyBytes = null;
        }
        if (this.keyBytes && this.inString) this.keyBytes.push(c);
        continue;
      }
      if (c === QUOTE) {
        this.inString = true;
        // Keys of the top-level object are short: collect them byte by byte (escapes kept raw, which names never need).
        this.keyBytes = this.depth === 1 ? [] : null;
      } else if (c === OPEN_OBJ || c === OPEN_ARR) {
        this.depth++;
        if (this.listDepth < 0 && !this.listDone && c === OPEN_ARR && this.depth === 2 && this.lastKey === this.key)
          this.listDepth = this.depth;
        else if (this.listDepth > 0 && this.depth === this.listDepth + 1) {
          this.elementStart = i;
          keepFrom = this.inPage() ? i : -1;
        }
      } else if (c === CLOSE_OBJ || c === CLOSE_ARR) {
        if (this.listDepth > 0 && this.depth === this.listDepth + 1 && this.elementStart >= 0) {
          if (keepFrom >= 0) {
            this.parts.push(chunk.subarray(keepFrom, i + 1));
            this.items.push(this.map(JSON.parse(Buffer.concat(this.parts).toString('utf8'))));
          }
          this.parts = [];
          this.elementStart = -1;
          keepFrom = -1;
          this.index++;
        } else if (this.listDepth > 0 && this.depth === this.listDepth && c === CLOSE_ARR) {
          this.listDepth = -1;
          this.listDone = true;
        }
        this.depth--;
      }
    }
    // An element cut by the chunk boundary: keep its bytes so far if it is in the page.
    if (this.elementStart >= 0 && keepFrom >= 0) this.parts.push(Buffer.from(chunk.subarray(keepFrom)));
    this.elementStart = this.elementStart >= 0 ? 0 : -1;
  }

  result(): PageOf<T> {
    if (!this.listDone) throw new Error('the answer holds no complete list');
    return { items: this.items, total: this.index };
  }

  private inPage(): boolean {
    return this.index >= this.start && this.index < this.end;
  }
}
