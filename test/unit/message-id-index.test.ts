import { describe, expect, it } from '@jest/globals';
import { MessageIdIndex } from '../../src/store/sqlite/message-id-index.js';

/** A table of rows the index confirms its hits against, as the store's events table does. */
function indexWithRows() {
  const rows = new Map<number, string>();
  const index = new MessageIdIndex((seq) => rows.get(seq));
  const store = (id: string, seq: number) => {
    rows.set(seq, id);
    index.add(id, seq);
  };
  return { rows, index, store };
}

describe('MessageIdIndex', () => {
  it('finds every id it holds across growth, and no id it does not', () => {
    const { index, store } = indexWithRows();
    for (let seq = 1; seq <= 50_000; seq++) store(`id-${seq}`, seq);
    expect(index.size).toBe(50_000);
    for (let seq = 1; seq <= 50_000; seq += 997) expect(index.find(`id-${seq}`)).toBe(seq);
    expect(index.find('id-50001')).toBeUndefined();
  });

  it('confirms a hit against the stored row, so a matching hash alone never makes a duplicate', () => {
    const { rows, index, store } = indexWithRows();
    store('a', 1);
    rows.set(1, 'something else'); // the row says another id: the tag match must not count
    expect(index.find('a')).toBeUndefined();
  });

  it('forgets removed ids, and reuses their slots', () => {
    const { index, store } = indexWithRows();
    for (let seq = 1; seq <= 10_000; seq++) store(`id-${seq}`, seq);
    for (let seq = 1; seq <= 5_000; seq++) index.remove(`id-${seq}`, seq);
    expect(index.size).toBe(5_000);
    expect(index.find('id-10')).toBeUndefined();
    expect(index.find('id-9000')).toBe(9000);
    for (let seq = 10_001; seq <= 20_000; seq++) store(`id-${seq}`, seq);
    expect(index.find('id-20000')).toBe(20000);
    expect(index.find('id-9000')).toBe(9000);
  });

  it('rolls back the additions and removals of a transaction that did not commit', () => {
    const { index, store } = indexWithRows();
    store('kept', 1);
    store('removed-then-restored', 2);
    index.begin();
    store('rolled-back', 3);
    index.remove('removed-then-restored', 2);
    index.rollback();
    expect(index.find('rolled-back')).toBeUndefined();
    expect(index.find('removed-then-restored')).toBe(2);
    expect(index.find('kept')).toBe(1);
    index.begin();
    store('committed', 4);
    index.commit();
    expect(index.find('committed')).toBe(4);
  });
});

describe('MessageIdIndex limits', () => {
  it('holds seqs up to 2^32 - 2 and refuses a seq it cannot hold, naming what to do', () => {
    const rows = new Map<number, string>();
    const index = new MessageIdIndex((seq) => rows.get(seq));
    const highest = 2 ** 32 - 2;
    rows.set(highest, 'last');
    index.add('last', highest);
    expect(index.find('last')).toBe(highest);
    expect(() => index.add('too-far', 2 ** 32 - 1)).toThrow(/start a new store/);
    expect(() => index.add('zero', 0)).toThrow(/outside 1\.\./);
    expect(index.find('too-far')).toBeUndefined();
    expect(index.size).toBe(1);
  });
});
