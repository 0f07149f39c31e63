/**
 * What a CDM inventory walk costs: the first page and the page at the end of a large array, and a full sequential
 * walk against (pages x first-page time). Sequential requests, one at a time, as CDM walks.
 */
import { request } from 'undici';
import { basicAuth } from '../plugins/shared/http';

export const PAGE = 25;

/** Milliseconds of one GET (its body read and checked). */
export async function timeGet(url: string, headers: Record<string, string>): Promise<number> {
  const t = process.hrtime.bigint();
  const r = await request(url, { headers });
  const text = await r.body.text();
  if (r.statusCode !== 200) throw new Error(`GET ${url}: ${r.statusCode} ${text.slice(0, 200)}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** The median of `n` timed GETs after `warm` untimed ones. */
export async function medianGet(url: string, headers: Record<string, string>, n = 15, warm = 2): Promise<number> {
  for (let i = 0; i < warm; i++) await timeGet(url, headers);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push(await timeGet(url, headers));
  ms.sort((a, b) => a - b);
  return ms[Math.floor(ms.length / 2)];
}

export interface PageFigures {
  firstMs: number;
  /** The last page once a cursor leads to it (the walk's case). */
  lastMs: number;
  /** The last page reached by a random jump, nobody's cursor before it (paid once). */
  jumpMs: number;
}

/** First and last page of a collection of `n` volumes (`listUrl` without its query). */
export async function firstAndLast(listUrl: string, headers: Record<string, string>, n: number): Promise<PageFigures> {
  const firstMs = await medianGet(`${listUrl}?limit=${PAGE}&start=0`, headers);
  const last = Math.max(0, n - PAGE);
  // A start nobody walked to yet: the jump pays the skip, and the page leaves the cursor of the page after it.
  const before = Math.max(0, last - PAGE);
  const jumpMs = await timeGet(`${listUrl}?limit=${PAGE}&start=${before}`, headers);
  const lastMs = await medianGet(`${listUrl}?limit=${PAGE}&start=${last}`, headers, 15, 0);
  return { firstMs, lastMs, jumpMs };
}

/** A whole walk, page after page until a short page: its time and its page count. */
export async function walk(listUrl: string, headers: Record<string, string>): Promise<{ ms: number; pages: number }> {
  const t = Date.now();
  let pages = 0;
  for (let start = 0; ; start += PAGE) {
    const r = await request(`${listUrl}?limit=${PAGE}&start=${start}`, { headers });
    const body = (await r.body.json()) as { volumes?: unknown[] };
    if (r.statusCode !== 200) throw new Error(`walk page at ${start}: ${r.statusCode}`);
    pages++;
    if ((body.volumes?.length ?? 0) < PAGE) break;
  }
  return { ms: Date.now() - t, pages };
}

/** One direct full listing from the appliance (vSnap cannot page: the floor of any walk). */
export async function directVsnapListing(simUrl: string, creds: { username: string; password: string }) {
  return medianGet(`${simUrl}/api/volume`, { authorization: basicAuth(creds.username, creds.password) }, 3, 1);
}
