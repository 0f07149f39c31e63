// The simulator pages its large collections straight from their map while insertion order is seq order, and sorts
// otherwise.
import { SeqMap, inSeqOrder } from '../../simulators/ontap/state/state';

const rec = (seq: number) => ({ seq });
const seqs = (it: Iterable<{ seq: number }>) => [...it].map((r) => r.seq);

describe('SeqMap and inSeqOrder', () => {
  it('hands out the map itself while records arrive in seq order, deletes included', () => {
    const m = new SeqMap<string, { seq: number }>();
    for (const n of [1, 2, 5, 9]) m.set(`k${n}`, rec(n));
    m.delete('k2');
    m.set('k5', m.get('k5')!);
    expect(m.ordered).toBe(true);
    expect(inSeqOrder(m)).not.toBeInstanceOf(Array);
    expect(seqs(inSeqOrder(m))).toEqual([1, 5, 9]);
  });

  it('falls back to sorting once a record arrives out of order or is replaced with another seq', () => {
    const late = new SeqMap<string, { seq: number }>();
    late.set('a', rec(5));
    late.set('b', rec(3));
    expect(late.ordered).toBe(false);
    expect(seqs(inSeqOrder(late))).toEqual([3, 5]);

    const replaced = new SeqMap<string, { seq: number }>();
    replaced.set('a', rec(1));
    replaced.set('b', rec(2));
    replaced.set('a', rec(7));
    expect(seqs(inSeqOrder(replaced))).toEqual([2, 7]);
  });

  it('sorts a plain Map', () => {
    expect(
      seqs(
        inSeqOrder(
          new Map([
            ['x', rec(4)],
            ['y', rec(2)],
          ]),
        ),
      ),
    ).toEqual([2, 4]);
  });
});
