/** The streaming page reader agrees with JSON.parse + slice for any list, any page and any chunking. */
import fc from 'fast-check';
import { JsonPager } from '../../plugins/shared/json-pager';

const element = fc.record({
  id: fc.string(),
  name: fc.string({ unit: fc.constantFrom('a', '{', '}', '[', ']', '"', '\\', 'é', ',', ':', ' ') }),
  nested: fc.array(fc.record({ k: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }), { maxLength: 3 }),
});

function read(text: string, cuts: number[], start: number, end: number) {
  const bytes = Buffer.from(text, 'utf8');
  const pager = new JsonPager('volumes', start, end);
  let at = 0;
  for (const cut of [...cuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
    pager.push(bytes.subarray(at, Math.max(at, cut)));
    at = Math.max(at, cut);
  }
  return pager.result();
}

describe('JsonPager', () => {
  it('picks exactly the page JSON.parse would, and counts the whole list', () => {
    fc.assert(
      fc.property(
        fc.array(element, { maxLength: 30 }),
        fc.nat(35),
        fc.nat(35),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        (list, start, len, cuts, spaced) => {
          const text = JSON.stringify(
            { other: { a: [1, 2] }, before: [{ id: 'not me' }], volumes: list, after: [{}], total: list.length },
            null,
            spaced ? 2 : undefined,
          );
          const page = read(text, cuts, start, start + len);
          expect(page.total).toBe(list.length);
          expect(page.items).toEqual(list.slice(start, start + len));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads the list under its key, not other lists of the object or lists nested deeper', () => {
    const text = JSON.stringify({
      meta: { tags: [{ x: 1 }] },
      pools: [{ id: 'p' }],
      volumes: [{ id: '1' }, { id: '2' }],
    });
    expect(read(text, [7, 19], 1, 5)).toEqual({ items: [{ id: '2' }], total: 2 });
  });

  it('refuses an answer without a complete list', () => {
    expect(() => read('{"volumes": [{"id": "1"}', [], 0, 1)).toThrow(/no complete list/);
    expect(() => read('{"error": {"message": "x"}}', [], 0, 1)).toThrow(/no complete list/);
  });
});
